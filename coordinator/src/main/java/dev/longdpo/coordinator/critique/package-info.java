/** Measures whether critique-guided regeneration improves weak steps. */
package dev.longdpo.coordinator.critique;
