/** Benchmarks of the search machinery: cache reuse, actor overhead, scaling with prompts. */
package dev.longdpo.bench.search;
