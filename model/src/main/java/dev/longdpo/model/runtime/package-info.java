/** Process-wide DJL settings: offline mode, the native cache directory, thread counts, grad mode. */
package dev.longdpo.model.runtime;
