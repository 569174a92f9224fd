/** The outcome-DPO baseline: whole answers judged as a whole, best against worst. */
package dev.longdpo.coordinator.outcome;
