/** The Llama-architecture language model on DJL: load, generate, score, train and save checkpoints. */
package dev.longdpo.model;
