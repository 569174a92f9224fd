/** A run's directory: its settings fingerprint, its prompts and the durable pair log. */
package dev.longdpo.coordinator.run;
