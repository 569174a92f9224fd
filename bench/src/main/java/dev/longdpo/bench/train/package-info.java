/** Training benchmarks: stepwise DPO with and without prefix sharing, several workers. */
package dev.longdpo.bench.train;
