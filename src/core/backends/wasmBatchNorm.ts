// The fused batch-norm (+ residual + ReLU) training kernels of src/core/ops/batchNormTraining.ts for the tfjs
// `wasm` backend: two passes over the activations forward and two backward, instead of ~25 stock kernels
// (each with its own broadcast, transpose or tile). The passes run as our SIMD loops (simd/trainingKernels.c) where they load,
// else as the plain JS loops below; the per-channel arithmetic between them is shared and runs in float64.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from '../ops/batchNormTraining';
import { simdKernelsFor } from './wasmSimd';

interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

function float32Input(kernel: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const info = inputs[name];
  if (info == null) throw new Error(`wasm ${kernel}: missing input '${name}'`);
  if (info.dtype !== 'float32') throw new Error(`wasm ${kernel}: input '${name}' must be float32, got ${info.dtype}`);
  return info;
}

/** A copy of a small tensor's values (heap views go stale when a later malloc grows the heap). */
function valuesOf(backend: BackendWasm, info: TensorInfo): Float32Array {
  return (backend.typedArrayFromHeap(info) as Float32Array).slice();
}

/** y = act(γ·(x − μ)/√(σ² + ε) + β + r) with μ, σ² the per-channel batch mean and biased variance. Outputs [y, μ, σ²]. */
function batchNormTrainingForward({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const x = float32Input(BATCH_NORM_TRAINING, inputs, 'x');
  const residual = inputs.residual == null ? null : float32Input(BATCH_NORM_TRAINING, inputs, 'residual');
  const relu = attrs.relu === true;
  const gamma = valuesOf(backend, float32Input(BATCH_NORM_TRAINING, inputs, 'scale'));
  const beta = valuesOf(backend, float32Input(BATCH_NORM_TRAINING, inputs, 'offset'));
  const epsilon = attrs.varianceEpsilon as number;
  const channels = x.shape[x.shape.length - 1];
  const count = x.shape.reduce((a, b) => a * b, 1) / channels;
  const y = backend.makeOutput(x.shape, 'float32');
  const meanOut = backend.makeOutput([channels], 'float32');
  const varianceOut = backend.makeOutput([channels], 'float32');
  const simd = simdKernelsFor(backend);

  // Σ(x − k) and Σ(x − k)² in one pass, shifted by each channel's first value k so that
  // σ² = E[(x − k)²] − (E[x − k])² does not cancel catastrophically when |μ| ≫ σ.
  const shift = (backend.typedArrayFromHeap(x) as Float32Array).slice(0, channels);
  const { sum, sumSq } = simd ? simd.channelSums(x, shift) : channelSumsJs(backend.typedArrayFromHeap(x) as Float32Array, channels, shift);
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  const scale = new Float32Array(channels); // γ/√(σ² + ε)
  for (let c = 0; c < channels; c++) {
    const m = sum[c] / count;
    const v = Math.max(sumSq[c] / count - m * m, 0);
    mean[c] = shift[c] + m;
    variance[c] = v;
    scale[c] = gamma[c] / Math.sqrt(v + epsilon);
  }
  if (simd) simd.normalize(x, residual, y, mean, scale, beta, relu);
  else {
    const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    normalizeJs(heap(x), residual && heap(residual), heap(y), mean, scale, beta, relu);
  }
  (backend.typedArrayFromHeap(meanOut) as Float32Array).set(mean);
  (backend.typedArrayFromHeap(varianceOut) as Float32Array).set(variance);
  return [y, meanOut, varianceOut];
}

/** Outputs [dx, dγ, dβ] (+ dr after a ReLU with a residual); see the formula at the top of src/core/ops/batchNormTraining.ts. */
function batchNormTrainingBackward({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const k = BATCH_NORM_TRAINING_GRAD;
  const dy = float32Input(k, inputs, 'dy');
  const x = float32Input(k, inputs, 'x');
  const relu = attrs.relu === true;
  const y = relu ? float32Input(k, inputs, 'y') : null; // the ReLU's output: its mask
  const writeResidualGrad = relu && attrs.withResidual === true;
  const gamma = valuesOf(backend, float32Input(k, inputs, 'scale'));
  const mean = valuesOf(backend, float32Input(k, inputs, 'mean'));
  const variance = valuesOf(backend, float32Input(k, inputs, 'variance'));
  const dMean = valuesOf(backend, float32Input(k, inputs, 'dMean'));
  const dVariance = valuesOf(backend, float32Input(k, inputs, 'dVariance'));
  const epsilon = attrs.varianceEpsilon as number;
  const channels = x.shape[x.shape.length - 1];
  const count = x.shape.reduce((a, b) => a * b, 1) / channels;
  const dx = backend.makeOutput(x.shape, 'float32');
  const dScale = backend.makeOutput([channels], 'float32');
  const dOffset = backend.makeOutput([channels], 'float32');
  const dResidual = writeResidualGrad ? backend.makeOutput(x.shape, 'float32') : null;
  const simd = simdKernelsFor(backend);
  const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

  const { sumDy, sumDyCentred } = simd ? simd.gradSums(dy, y, x, mean) : gradSumsJs(heap(dy), y && heap(y), heap(x), mean);
  // dx = k1·g + k2·(x − μ) + k3
  const k1 = new Float32Array(channels);
  const k2 = new Float32Array(channels);
  const k3 = new Float32Array(channels);
  const dGamma = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const invStd = 1 / Math.sqrt(variance[c] + epsilon);
    const dg = sumDyCentred[c] * invStd;
    dGamma[c] = dg;
    k1[c] = gamma[c] * invStd;
    k2[c] = (-gamma[c] * invStd * invStd * dg + 2 * dVariance[c]) / count;
    k3[c] = (-gamma[c] * invStd * sumDy[c] + dMean[c]) / count;
  }
  if (simd) simd.gradInput(dy, y, x, dx, dResidual, mean, k1, k2, k3);
  else gradInputJs(heap(dy), y && heap(y), heap(x), heap(dx), dResidual && heap(dResidual), mean, k1, k2, k3);
  heap(dScale).set(dGamma);
  heap(dOffset).set(sumDy);
  return dResidual ? [dx, dScale, dOffset, dResidual] : [dx, dScale, dOffset];
}

// ---------------------------------------------------------------------------------------------
// The JS passes. Each walks the channels-last data in blocks of BLOCK_PIXELS pixels, channel by channel
// inside a block (the block stays in L1), so a channel's running sums live in locals: ~2.5x faster in
// V8 than updating per-channel accumulator arrays pixel by pixel. (Sharing one block walker that takes
// a callback measured 2x slower again, hence the repeated loops.)
// ---------------------------------------------------------------------------------------------

const BLOCK_PIXELS = 256;

function channelSumsJs(x: Float32Array, channels: number, shift: Float32Array): { sum: Float64Array; sumSq: Float64Array } {
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const block = BLOCK_PIXELS * channels;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(start + block, x.length);
    for (let c = 0; c < channels; c++) {
      const k = shift[c];
      let s = 0;
      let q = 0;
      for (let i = start + c; i < end; i += channels) {
        const d = x[i] - k;
        s += d;
        q += d * d;
      }
      sum[c] += s;
      sumSq[c] += q;
    }
  }
  return { sum, sumSq };
}

function normalizeJs(
  x: Float32Array,
  r: Float32Array | null,
  y: Float32Array,
  mean: Float32Array,
  scale: Float32Array,
  offset: Float32Array,
  relu: boolean,
): void {
  const channels = mean.length;
  const block = BLOCK_PIXELS * channels;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(start + block, x.length);
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      const a = scale[c];
      const b = offset[c];
      for (let i = start + c; i < end; i += channels) {
        const v = (x[i] - m) * a + b + (r ? r[i] : 0);
        // (v + |v|) / 2 is max(v, 0) without a data-dependent branch (5x faster here than one).
        y[i] = relu ? (v + Math.abs(v)) * 0.5 : v;
      }
    }
  }
}

function gradSumsJs(dy: Float32Array, y: Float32Array | null, x: Float32Array, mean: Float32Array): { sumDy: Float64Array; sumDyCentred: Float64Array } {
  const channels = mean.length;
  const sumDy = new Float64Array(channels);
  const sumDyCentred = new Float64Array(channels); // Σ g·(x − μ)
  const block = BLOCK_PIXELS * channels;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(start + block, x.length);
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      let s = 0;
      let t = 0;
      for (let i = start + c; i < end; i += channels) {
        // After a ReLU, only where its output was positive (a product, not a branch: 5x faster here; it
        // differs from the SIMD bit mask only for an infinite dy, once training has diverged anyway).
        const g = y ? dy[i] * +(y[i] > 0) : dy[i];
        s += g;
        t += g * (x[i] - m);
      }
      sumDy[c] += s;
      sumDyCentred[c] += t;
    }
  }
  return { sumDy, sumDyCentred };
}

function gradInputJs(
  dy: Float32Array,
  y: Float32Array | null,
  x: Float32Array,
  dx: Float32Array,
  gOut: Float32Array | null,
  mean: Float32Array,
  k1: Float32Array,
  k2: Float32Array,
  k3: Float32Array,
): void {
  const channels = mean.length;
  const block = BLOCK_PIXELS * channels;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(start + block, x.length);
    for (let c = 0; c < channels; c++) {
      const m = mean[c];
      const c1 = k1[c];
      const c2 = k2[c];
      const c3 = k3[c];
      for (let i = start + c; i < end; i += channels) {
        const g = y ? dy[i] * +(y[i] > 0) : dy[i];
        if (gOut) gOut[i] = g;
        dx[i] = c1 * g + c2 * (x[i] - m) + c3;
      }
    }
  }
}

/** Kernel configs for registerKernel. */
export const WASM_BATCH_NORM_KERNELS: KernelConfig[] = [
  { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: batchNormTrainingForward as unknown as KernelFunc },
  { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: batchNormTrainingBackward as unknown as KernelFunc },
];
