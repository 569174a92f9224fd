/** The trainer side of a {@code trainer} node: gpu-workers for the variants the run manager assigns. */
package dev.longdpo.gpuworker.host;
