/**
 * Scripted backends: deterministic and cheap, so tests and benchmarks measure the search machinery
 * rather than a model.
 */
package dev.longdpo.actors.backend.testing;
