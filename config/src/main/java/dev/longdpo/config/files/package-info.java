/** Files written so that a crash leaves the old contents or the new, never a mix. */
package dev.longdpo.config.files;
