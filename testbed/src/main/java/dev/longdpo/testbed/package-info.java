/**
 * The embedded testbed: a miniature writing world in which quality is defined exactly, so that
 * LongDPO's search, critique and memory pool have something measurable to fix on a laptop CPU.
 */
package dev.longdpo.testbed;
