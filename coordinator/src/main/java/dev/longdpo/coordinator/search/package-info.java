/** The tree search itself: nodes, PUCT selection, backup, commits, pairs, critique, memory pool. */
package dev.longdpo.coordinator.search;
