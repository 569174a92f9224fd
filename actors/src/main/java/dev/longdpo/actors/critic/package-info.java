/** Critic actors: host the critic that writes suggestions for weak steps. */
package dev.longdpo.actors.critic;
