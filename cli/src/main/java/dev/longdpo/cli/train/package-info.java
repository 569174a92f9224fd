/** {@code longdpo train}: stepwise DPO on recorded pairs, one gpu-worker per variant. */
package dev.longdpo.cli.train;
