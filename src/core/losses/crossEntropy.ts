// Softmax cross-entropy on logits with integer labels, averaged over the batch.
import * as tf from '@tensorflow/tfjs';

/**
 * Mean softmax cross-entropy.
 * @param logits [B, C] unnormalised class scores.
 * @param labels [B] integer labels in 0..C-1 (int32).
 * @returns a scalar the caller disposes.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const targets = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbs), 1))) as tf.Scalar;
  });
}
