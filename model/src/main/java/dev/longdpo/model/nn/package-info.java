/**
 * The Llama architecture as DJL blocks, following Hugging Face's {@code LlamaForCausalLM} exactly:
 * parameter names and shapes, RMSNorm in float32, RoPE rotating the two halves of each head.
 */
package dev.longdpo.model.nn;
