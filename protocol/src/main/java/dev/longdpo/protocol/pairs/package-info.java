/** Stepwise preference pairs: the records stored in a run's pair log and streamed to trainers. */
package dev.longdpo.protocol.pairs;
