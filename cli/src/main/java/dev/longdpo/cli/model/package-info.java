/** {@code longdpo model}: make, sample from and score a checkpoint from the command line. */
package dev.longdpo.cli.model;
