/** Exports a run's pairs for other trainers: TRL's DPO format and the official LongDPO format. */
package dev.longdpo.coordinator.export;
