package dev.longdpo.testbed.pretrain;

/**
 * A document as training ids: BOS, the templated prompt, the answer, EOS. Holds an array.
 *
 * @param ids the tokens (truncated to the context if longer)
 * @param answerStart index of the first answer token: only answer tokens are trained on
 */
record EncodedDocument(int[] ids, int answerStart) {}
