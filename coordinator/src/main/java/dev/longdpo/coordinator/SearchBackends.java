package dev.longdpo.coordinator;

import dev.longdpo.actors.backend.Facts;
import dev.longdpo.actors.backend.PromptEncoder;

/**
 * What a coordinator needs besides its workers: how a task becomes the policy's prompt and the
 * memory pool's fact checker (both thread-safe).
 *
 * @param prompts the policy's templated prompt and its ids for a task
 * @param facts the fact checker
 */
public record SearchBackends(PromptEncoder prompts, Facts facts) {}
