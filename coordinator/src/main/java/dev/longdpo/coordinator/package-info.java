/**
 * The coordinator: runs the LongDPO tree search over a set of prompts with workers found through
 * the receptionist, records every pair durably, and streams pairs to trainers.
 */
package dev.longdpo.coordinator;
