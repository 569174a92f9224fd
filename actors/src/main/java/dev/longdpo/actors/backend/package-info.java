/**
 * The small interfaces workers call ({@code Policy}, {@code Judge}, {@code Critic}, {@code Facts})
 * and their in-process implementations over the model and the testbed. LLM-endpoint
 * implementations plug in behind the same interfaces.
 */
package dev.longdpo.actors.backend;
