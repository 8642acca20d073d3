// Orthogonal Projection Loss (Ranasinghe, Naseer, Hayat, Khan & Khan, "Orthogonal Projection Loss",
// ICCV 2021): pull same-class features together, push different-class features to be orthogonal.
//
//   F̂ = rows of F divided by max(‖row‖₂, 1e-12)       S = F̂ F̂ᵀ   (B x B cosines)
//   P[i,j] = [yᵢ = yⱼ, i ≠ j]                            N[i,j] = [yᵢ ≠ yⱼ]
//   s = Σ P∘S / (Σ P + 1e-6)                            d = Σ N∘S / (Σ N + 1e-6)   (or Σ N∘|S|)
//   OPL = (1 − s) + γ·d
//
// These are the reference code's semantics (means over pairs, every unordered pair counted twice).
import * as tf from '@tensorflow/tfjs';

/** Options of the loss; gamma weighs the different-class term. */
export interface OplOptions {
  /** Weight γ of the different-class mean cosine `d`. The reference README's default is 0.5. */
  gamma?: number;
  /** Average |cosine| over different-class pairs (the paper's equation) instead of the signed cosine (the reference's root loss.py, our default). */
  absNegative?: boolean;
}

/** The loss and its two components, all scalars owned by the caller. */
export interface OplResult {
  /** (1 − s) + γ·d */
  loss: tf.Scalar;
  /** s: mean cosine over same-class pairs (i ≠ j); 0 when the batch has no such pair. */
  posMean: tf.Scalar;
  /** d: mean (signed or absolute) cosine over different-class pairs; 0 when the batch has one class. */
  negMean: tf.Scalar;
}

export const OPL_DEFAULT_GAMMA = 0.5;
const NORM_EPS = 1e-12;
const PAIR_EPS = 1e-6;

/**
 * Orthogonal Projection Loss of a batch.
 * @param features [B, D] penultimate features (e.g. the pooled vector before the classifier).
 * @param labels [B] integer class labels (int32 or float holding integers).
 * @returns the loss and its components; the caller disposes them (or calls this inside tf.tidy).
 */
export function orthogonalProjectionLoss(
  features: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: OplOptions = {},
): OplResult {
  const gamma = options.gamma ?? OPL_DEFAULT_GAMMA;
  const absNegative = options.absNegative ?? false;
  const [loss, posMean, negMean] = tf.tidy(() => {
    // sqrt(max(Σx², eps²)) equals max(‖x‖, eps) but keeps the gradient finite for an all-zero row.
    const sumSq = tf.sum(tf.square(features), 1, true);
    const norms = tf.sqrt(tf.maximum(sumSq, NORM_EPS * NORM_EPS));
    const unit = tf.div(features, norms);
    const cosines = tf.matMul(unit, unit, false, true);

    const column = tf.reshape(labels, [-1, 1]);
    const row = tf.reshape(labels, [1, -1]);
    const same = tf.cast(tf.equal(column, row), 'float32');
    const positive = tf.sub(same, tf.eye(features.shape[0]));
    const negative = tf.sub(1, same);

    const s = tf.div(tf.sum(tf.mul(positive, cosines)), tf.add(tf.sum(positive), PAIR_EPS));
    const negCos = absNegative ? tf.abs(cosines) : cosines;
    const d = tf.div(tf.sum(tf.mul(negative, negCos)), tf.add(tf.sum(negative), PAIR_EPS));
    const total = tf.add(tf.sub(1, s), tf.mul(gamma, d));
    return [total, s, d] as tf.Scalar[];
  });
  return { loss, posMean, negMean };
}
