/** {@code longdpo bench}: run the benchmarks. */
package dev.longdpo.cli.bench;
