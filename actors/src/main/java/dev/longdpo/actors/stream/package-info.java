/** The pair stream's serving side, shared by the coordinator and replays of recorded pairs. */
package dev.longdpo.actors.stream;
