/** Commands of the embedded testbed: pretraining the tiny base model. */
package dev.longdpo.cli.testbed;
