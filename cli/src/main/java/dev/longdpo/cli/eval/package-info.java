/** {@code longdpo eval}: checkpoints scored on held-out tasks. */
package dev.longdpo.cli.eval;
