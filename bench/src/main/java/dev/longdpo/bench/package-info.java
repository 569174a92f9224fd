/**
 * Benchmarks: each prints {@code BENCH <id> <value> <unit>} lines, ratios measured in one run, so
 * scripts can collect them. Never timed unit tests.
 */
package dev.longdpo.bench;
