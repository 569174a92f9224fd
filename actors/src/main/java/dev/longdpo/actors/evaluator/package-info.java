/** The evaluator: scores the base model and every announced checkpoint on held-out tasks. */
package dev.longdpo.actors.evaluator;
