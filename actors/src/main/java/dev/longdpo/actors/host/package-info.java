/** What a {@code search} node of a cluster runs: the host of the active run's workers. */
package dev.longdpo.actors.host;
