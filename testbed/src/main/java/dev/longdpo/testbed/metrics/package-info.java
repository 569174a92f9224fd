/** Evaluation metrics: S_l, S_q, LongGenBench's CR / STIC-1 / STIC-2, and judge-free rates. */
package dev.longdpo.testbed.metrics;
