/**
 * Worker actors and the backends they host: search nodes sample steps from a policy, reward actors
 * judge them, critic actors write suggestions, the evaluator scores checkpoints.
 */
package dev.longdpo.actors;
