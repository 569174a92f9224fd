/** Hugging Face checkpoint layout: config.json, safetensors (single or sharded), atomic saves. */
package dev.longdpo.model.checkpoint;
