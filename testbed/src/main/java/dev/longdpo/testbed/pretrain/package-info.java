/** Pretraining the tiny base model on the corpus, caching it under LONGDPO_HOME, and its report. */
package dev.longdpo.testbed.pretrain;
