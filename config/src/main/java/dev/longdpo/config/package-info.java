/**
 * Shared HOCON machinery: loading with overrides, and validation helpers every module's settings
 * record uses so that a bad value names the key, the value and what was expected.
 */
package dev.longdpo.config;
