/** The {@code longdpo} command: the composition root that chooses and wires every module. */
package dev.longdpo.cli;
