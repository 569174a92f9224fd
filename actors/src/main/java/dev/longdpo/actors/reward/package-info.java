/** Reward actors: host the judge that scores candidate steps. */
package dev.longdpo.actors.reward;
