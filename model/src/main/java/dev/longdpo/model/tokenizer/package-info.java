/** Text to token ids and back, through DJL's binding of Hugging Face {@code tokenizers}. */
package dev.longdpo.model.tokenizer;
