/** Benchmarks of the in-process model: decoding with the cache, batching, forks, training. */
package dev.longdpo.bench.model;
