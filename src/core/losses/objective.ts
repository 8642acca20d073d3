// The training objective CE + λ·OPL, and the per-step numbers every run logs (OPL is logged for CE runs too,
// so the charts can show what CE alone does to s and d).
import * as tf from '@tensorflow/tfjs';
import { softmaxCrossEntropy } from './crossEntropy';
import { orthogonalProjectionLoss } from './opl';

/** Which loss a run trains with. For 'ce', gamma still shapes the logged OPL value, but OPL adds nothing to the objective. */
export interface LossSpec {
  kind: 'ce' | 'opl';
  /** γ: weight of the different-class term inside OPL. */
  gamma: number;
  /** λ: weight of OPL in the objective CE + λ·OPL. */
  lambda: number;
  /** Use |cosine| for different-class pairs (the paper's equation) instead of the signed cosine. */
  absNegative: boolean;
}

/** Scalars of one step, owned by the caller. */
export interface ObjectiveParts {
  /** What is minimised: CE, or CE + λ·OPL. */
  total: tf.Scalar;
  ce: tf.Scalar;
  opl: tf.Scalar;
  s: tf.Scalar;
  d: tf.Scalar;
}

/**
 * Compute the objective of one batch.
 * @param features [B, D] pooled features; logits [B, C]; labels [B] int32.
 */
export function computeObjective(
  features: tf.Tensor2D,
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  spec: LossSpec,
): ObjectiveParts {
  const ce = softmaxCrossEntropy(logits, labels);
  const { loss: opl, posMean: s, negMean: d } = orthogonalProjectionLoss(features, labels, {
    gamma: spec.gamma,
    absNegative: spec.absNegative,
  });
  const total = spec.kind === 'opl' ? tf.tidy(() => tf.add(ce, tf.mul(spec.lambda, opl)) as tf.Scalar) : tf.clone(ce);
  return { total, ce, opl, s, d };
}
