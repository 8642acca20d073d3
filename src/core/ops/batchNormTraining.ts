// Batch normalisation in training mode as one op, with the ReLU and residual add that follow it in a ResNet:
// batch statistics, normalisation, activation and their gradient. Why it exists: written with tf.moments,
// tf.batchNorm, tf.add and tf.relu, one such layer costs ~25 small kernels forward and backward (tfjs's
// batchNorm gradient even tiles 1/σ to the full activation size), and on the wasm backend those made up
// over half of a ResNet-8 training step. A backend may register the two fused kernels below
// (src/core/backends/wasmBatchNorm.ts does for wasm); elsewhere the op falls back to the same maths written
// with stock ops, so every backend computes the same function.
//
//   μ = mean(x)   σ² = mean((x − μ)²)   (per channel, over every other axis; σ² is the biased variance)
//   x̂ = (x − μ) / √(σ² + ε)              y = act(γ·x̂ + β + r)     (act = ReLU or none, r = residual or 0)
//
// Gradient (N values per channel), with g = dy·[y > 0] after a ReLU, else dy; the paths through the
// returned μ and σ² are included:
//   dβ = Σ g    dγ = Σ g·x̂    dr = g
//   dx = γ/√(σ²+ε) · (g − dβ/N − x̂·dγ/N) + dμ/N + 2·dσ²·(x − μ)/N
import * as tf from '@tensorflow/tfjs';

/**
 * Kernel name of the fused forward pass: inputs {x, scale, offset[, residual]}, attrs varianceEpsilon and
 * relu; outputs [y, mean, variance].
 */
export const BATCH_NORM_TRAINING = 'OplBatchNormTraining';
/**
 * Kernel name of the fused backward pass: inputs {dy, x, scale, mean, variance, dMean, dVariance[, y]} (y
 * when relu), attrs varianceEpsilon, relu and withResidual; outputs [dx, dScale, dOffset] and, when relu
 * and withResidual, dResidual.
 */
export const BATCH_NORM_TRAINING_GRAD = 'OplBatchNormTrainingGrad';

/** What follows the normalisation inside the op. */
export interface BatchNormExtras {
  /** Apply max(·, 0) last. */
  relu?: boolean;
  /** A tensor the shape of x added before the ReLU (a ResNet block's shortcut). */
  residual?: tf.Tensor;
}

/** Outputs of one batch-norm layer in training mode; the caller disposes them (or runs inside tf.tidy). */
export interface BatchNormTrainingResult<T extends tf.Tensor> {
  /** act(γ·x̂ + β + residual), the shape of x. */
  y: T;
  /** [C] batch mean per channel. */
  mean: tf.Tensor1D;
  /** [C] biased batch variance per channel (divided by N, as tf.moments). */
  variance: tf.Tensor1D;
}

// The gradient registry is global (not per backend); registered on first use, once per process.
function registerBatchNormGradient(): void {
  if (tf.getGradient(BATCH_NORM_TRAINING) != null) return;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dMean, dVariance] = dys as tf.Tensor[];
      const [x, scale, y, mean, variance] = saved;
      const { relu, withResidual } = attrs as unknown as { relu: boolean; withResidual: boolean };
      // One kernel yields every gradient, so run it once here (inside the engine's backward scope,
      // which disposes whatever is not returned) and hand out the parts.
      const inputs: tf.NamedTensorMap = { dy, x, scale, mean, variance, dMean, dVariance };
      if (relu) inputs.y = y;
      const [dx, dScale, dOffset, dResidual] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, inputs, attrs) as tf.Tensor[];
      const grads: Record<string, () => tf.Tensor> = { x: () => dx, scale: () => dScale, offset: () => dOffset };
      // Without a ReLU the residual's gradient is dy itself.
      if (withResidual) grads.residual = relu ? () => dResidual : () => tf.clone(dy);
      return grads;
    },
  });
}

/**
 * Batch normalisation with batch statistics over every axis but the last (channels-last), optionally
 * followed by a residual add and a ReLU.
 * @param x [..., C] activations (float32).
 * @param gamma [C] scale γ; beta [C] offset β.
 * @param extras relu and/or a residual the shape of x.
 * @returns y (shape of x), and the batch mean and biased variance [C]; all owned by the caller.
 *   Differentiable in x, gamma, beta and the residual (and through mean and variance).
 */
export function batchNormTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  extras: BatchNormExtras = {},
): BatchNormTrainingResult<T> {
  const channels = x.shape[x.rank - 1];
  if (gamma.size !== channels || beta.size !== channels) {
    throw new Error(`batchNormTraining: gamma and beta need ${channels} values, got ${gamma.size} and ${beta.size}`);
  }
  const { relu = false, residual } = extras;
  if (residual && !tf.util.arraysEqual(residual.shape, x.shape)) {
    throw new Error(`batchNormTraining: residual shape [${residual.shape}] differs from x [${x.shape}]`);
  }
  const backend = tf.getBackend();
  if (tf.getKernel(BATCH_NORM_TRAINING, backend) != null && tf.getKernel(BATCH_NORM_TRAINING_GRAD, backend) != null) {
    registerBatchNormGradient();
    const inputs: tf.NamedTensorMap = { x, scale: gamma, offset: beta };
    if (residual) inputs.residual = residual;
    const attrs = { varianceEpsilon: epsilon, relu, withResidual: residual != null };
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, inputs, attrs) as tf.Tensor[];
    return { y: y as T, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  return batchNormTrainingByOps(x, gamma, beta, epsilon, extras);
}

/** The same function written with stock ops: the fallback on backends without the fused kernels, and the tests' reference. */
export function batchNormTrainingByOps<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  extras: BatchNormExtras = {},
): BatchNormTrainingResult<T> {
  return tf.tidy(() => {
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    let y: tf.Tensor = tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
    if (extras.residual) y = tf.add(y, extras.residual);
    if (extras.relu) y = tf.relu(y);
    return { y: y as T, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}
