/** Writing tasks in LongBench-Write's shape (and LongGenBench-style sectioned ones), their files. */
package dev.longdpo.testbed.task;
