// Loads our WebAssembly SIMD training kernels (simd/trainingKernels.c) into the tfjs `wasm` backend's own
// memory, so they read and write tensors in place, and wraps them in typed JS functions. Two builds of the
// same code: one for tfjs's single-threaded builds (unshared memory, exported as `asm.memory`), one for its
// threaded build (a shared memory it creates in JS, kept as `wasmMemory`). Our kernels run on the calling
// thread only. Optional by design: where wasm SIMD is missing or no memory is reachable, simdKernelsFor
// returns null and callers use their JS or XNNPACK routes.
// The tfjs flag OPL_WASM_SIMD (default true) turns them off, for tests and before/after timing.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { env, type TensorInfo } from '@tensorflow/tfjs-core';
import { TRAINING_KERNELS_SHARED_WASM, TRAINING_KERNELS_WASM } from './simd/trainingKernels.wasm';

/** The C exports; every pointer argument is a byte offset into tfjs's wasm heap. */
interface Exports {
  conv2d_filter_grad(x: number, dy: number, dw: number, ...dims: number[]): void;
  conv2d_forward(x: number, w: number, y: number, ...dims: number[]): void;
  conv2d_input_grad(dy: number, wt: number, dx: number, ...dims: number[]): void;
  conv3x3_winograd(x: number, w: number, y: number, scratch: number, ...dims: number[]): void;
  conv3x3_winograd_scratch(inHeight: number, inWidth: number, cin: number, cout: number): number;
  conv3x3_winograd_filter_grad(x: number, dy: number, dw: number, scratch: number, ...dims: number[]): void;
  conv3x3_winograd_filter_grad_scratch(inHeight: number, inWidth: number, cin: number, cout: number): number;
  bn_sums(x: number, pixels: number, channels: number, shift: number, sum: number, sumSq: number): void;
  bn_normalize(x: number, r: number, y: number, pixels: number, channels: number, mean: number, scale: number, offset: number, relu: number): void;
  bn_grad_sums(dy: number, y: number, x: number, pixels: number, channels: number, mean: number, sumDy: number, sumDyXc: number): void;
  bn_grad_input(dy: number, y: number, x: number, dx: number, g: number, pixels: number, channels: number, mean: number, k1: number, k2: number, k3: number): void;
}

/** Geometry of a 2-D convolution (channels last, dilation 1): x [batch, inHeight, inWidth, inChannels] → y [batch, outHeight, outWidth, outChannels]. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** The SIMD kernels bound to one backend. Inputs and outputs are float32 tensors on that backend. */
export interface SimdKernels {
  /** y[n, oh, ow, co] = Σ x[n, oh·s + kh − pad, ow·s + kw − pad, ci] · w[kh, kw, ci, co]; y is overwritten. */
  conv2dForward(x: TensorInfo, w: TensorInfo, y: TensorInfo, g: ConvGeometry): void;
  /** dx of that conv from dy, given the filter transposed to wt [kh, kw, co, ci]; dx is overwritten. */
  conv2dInputGrad(dy: TensorInfo, wt: TensorInfo, dx: TensorInfo, g: ConvGeometry): void;
  /**
   * The same function as conv2dForward (inputGrad false) or conv2dInputGrad (true, reading the forward filter
   * w [3, 3, ci, co] itself, no transposed copy) by Winograd F(2×2, 3×3), for what winogradFits accepts.
   */
  conv3x3Winograd(x: TensorInfo, w: TensorInfo, y: TensorInfo, g: ConvGeometry, inputGrad: boolean): void;
  /** The same function as conv2dFilterGrad by Winograd F(2×2, 3×3), for what winogradFits accepts. */
  conv3x3WinogradFilterGrad(x: TensorInfo, dy: TensorInfo, dw: TensorInfo, g: ConvGeometry): void;
  /** dw[kh, kw, ci, co] = Σ x[n, oh·s + kh − pad, ow·s + kw − pad, ci] · dy[n, oh, ow, co]; dw is overwritten. */
  conv2dFilterGrad(x: TensorInfo, dy: TensorInfo, dw: TensorInfo, g: ConvGeometry): void;
  /** Per channel of x seen as [pixels, C]: Σ(x − shift) and Σ(x − shift)², in float64. */
  channelSums(x: TensorInfo, shift: Float32Array): { sum: Float64Array; sumSq: Float64Array };
  /** y = act((x − mean)·scale + offset + residual) per channel; act is ReLU if relu, else none; residual may be null. */
  normalize(x: TensorInfo, residual: TensorInfo | null, y: TensorInfo, mean: Float32Array, scale: Float32Array, offset: Float32Array, relu: boolean): void;
  /** Per channel: Σ g and Σ g·(x − mean) in float64, with g = dy, or dy·[y > 0] when the ReLU output y is given. */
  gradSums(dy: TensorInfo, y: TensorInfo | null, x: TensorInfo, mean: Float32Array): { sumDy: Float64Array; sumDyCentred: Float64Array };
  /** dx = k1·g + k2·(x − mean) + k3 per channel (g as in gradSums); g is also written to gOut unless it is null. */
  gradInput(
    dy: TensorInfo,
    y: TensorInfo | null,
    x: TensorInfo,
    dx: TensorInfo,
    gOut: TensorInfo | null,
    mean: Float32Array,
    k1: Float32Array,
    k2: Float32Array,
    k3: Float32Array,
  ): void;
}

/**
 * Whether conv3x3Winograd computes this conv: 3×3, stride 1, padding 1 on every side (output the input's size),
 * even height and width, and both channel counts multiples of 4.
 */
export function winogradFits(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 3 && g.filterWidth === 3 && g.strideHeight === 1 && g.strideWidth === 1 &&
    g.padTop === 1 && g.padLeft === 1 && g.outHeight === g.inHeight && g.outWidth === g.inWidth &&
    g.inHeight % 2 === 0 && g.inWidth % 2 === 0 && g.inChannels % 4 === 0 && g.outChannels % 4 === 0
  );
}

export const SIMD_FLAG = 'OPL_WASM_SIMD';
env().registerFlag(SIMD_FLAG, () => true);

const bound = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The emscripten module's fields where tfjs's builds keep their memory. */
interface EmscriptenMemoryFields {
  /** The module's exports; the single-threaded builds export their memory here. */
  asm?: { memory?: unknown };
  /** The threaded build creates its shared memory in JS and keeps it here (also on the pthread workers). */
  wasmMemory?: unknown;
}

/** tfjs's wasm memory for `backend`, or null where neither build's field holds one. */
export function wasmMemoryOf(backend: BackendWasm): WebAssembly.Memory | null {
  const module = backend.wasm as unknown as EmscriptenMemoryFields;
  for (const memory of [module.asm?.memory, module.wasmMemory]) {
    if (memory instanceof WebAssembly.Memory) return memory;
  }
  return null;
}

/** True for the shared memory of a threaded build (false also where SharedArrayBuffer is not defined). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** The kernels for `backend`, or null where they cannot run (or OPL_WASM_SIMD is false). Cached per wasm memory. */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | null {
  if (!env().getBool(SIMD_FLAG)) return null;
  const memory = wasmMemoryOf(backend);
  if (memory == null) return null;
  let kernels = bound.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(backend, memory);
    bound.set(memory, kernels);
  }
  return kernels;
}

function instantiate(backend: BackendWasm, memory: WebAssembly.Memory): SimdKernels | null {
  let exports: Exports;
  try {
    // Synchronous compile of a ~24 kB module: fine in Node and in workers, where training runs. A module
    // whose import is not shared cannot take a shared memory, nor the other way round.
    const module = new WebAssembly.Module(decodeBase64(isSharedMemory(memory) ? TRAINING_KERNELS_SHARED_WASM : TRAINING_KERNELS_WASM));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  } catch {
    return null; // no wasm SIMD here, or a memory the module cannot import
  }
  const wasm = backend.wasm as unknown as { _malloc(bytes: number): number; _free(ptr: number): void };
  // The byte offset tfjs recorded, not a view's: no heap view to go stale.
  const offset = (t: TensorInfo) => {
    const data = backend.dataIdMap.get(t.dataId);
    if (data == null) throw new Error('wasmSimd: a tensor that is not on this wasm backend');
    return data.memoryOffset;
  };
  const offsetOrNull = (t: TensorInfo | null) => (t == null ? 0 : offset(t)); // 0: never a tensor's address
  const channelsOf = (t: TensorInfo) => t.shape[t.shape.length - 1];
  const pixelsOf = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1) / channelsOf(t);

  /**
   * Copies `inputs` (per-channel vectors) into one scratch block on the heap, reserves `doubles`
   * float64 vectors of `channels` after them, runs fn with their offsets and returns the doubles.
   */
  const withScratch = (channels: number, inputs: Float32Array[], doubles: number, fn: (ptrs: number[]) => void): Float64Array[] => {
    const floatBytes = 4 * channels * inputs.length;
    const start = (floatBytes + 7) & ~7; // float64s 8-byte aligned
    const base = wasm._malloc(start + 8 * channels * doubles) >>> 0;
    try {
      // memory.buffer, read after malloc: a growth replaces the buffer (an unshared one is detached, a shared
      // one keeps its old length), and emscripten's HEAPU8 of the threaded build can lag behind a growth
      // made by another thread until emscripten next checks.
      const heap = memory.buffer;
      const ptrs: number[] = [];
      inputs.forEach((values, i) => {
        const at = base + 4 * channels * i;
        new Float32Array(heap, at, channels).set(values);
        ptrs.push(at);
      });
      for (let i = 0; i < doubles; i++) ptrs.push(base + start + 8 * channels * i);
      fn(ptrs);
      const after = memory.buffer;
      return Array.from({ length: doubles }, (_, i) => new Float64Array(after, base + start + 8 * channels * i, channels).slice());
    } finally {
      wasm._free(base);
    }
  };

  const dims = (g: ConvGeometry) => [
    g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels,
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
  ];

  return {
    conv2dForward(x, w, y, g) {
      exports.conv2d_forward(offset(x), offset(w), offset(y), ...dims(g));
    },
    conv2dInputGrad(dy, wt, dx, g) {
      exports.conv2d_input_grad(offset(dy), offset(wt), offset(dx), ...dims(g));
    },
    conv3x3Winograd(x, w, y, g, inputGrad) {
      // The conv as the kernel sees it: input channels cin → output channels cout (swapped for the input gradient).
      const [cin, cout] = inputGrad ? [g.outChannels, g.inChannels] : [g.inChannels, g.outChannels];
      const floats = exports.conv3x3_winograd_scratch(g.inHeight, g.inWidth, cin, cout);
      const scratch = wasm._malloc(4 * floats) >>> 0;
      try {
        const [ciStride, coStride, flip] = inputGrad ? [1, cin, 1] : [cout, 1, 0];
        exports.conv3x3_winograd(offset(x), offset(w), offset(y), scratch, g.batch, g.inHeight, g.inWidth, cin, cout, ciStride, coStride, flip);
      } finally {
        wasm._free(scratch);
      }
    },
    conv3x3WinogradFilterGrad(x, dy, dw, g) {
      const floats = exports.conv3x3_winograd_filter_grad_scratch(g.inHeight, g.inWidth, g.inChannels, g.outChannels);
      const scratch = wasm._malloc(4 * floats) >>> 0;
      try {
        exports.conv3x3_winograd_filter_grad(offset(x), offset(dy), offset(dw), scratch, g.batch, g.inHeight, g.inWidth, g.inChannels, g.outChannels);
      } finally {
        wasm._free(scratch);
      }
    },
    conv2dFilterGrad(x, dy, dw, g) {
      exports.conv2d_filter_grad(offset(x), offset(dy), offset(dw), ...dims(g));
    },
    channelSums(x, shift) {
      const c = channelsOf(x);
      const [sum, sumSq] = withScratch(c, [shift], 2, ([s, a, b]) => exports.bn_sums(offset(x), pixelsOf(x), c, s, a, b));
      return { sum, sumSq };
    },
    normalize(x, residual, y, mean, scale, off, relu) {
      const c = channelsOf(x);
      withScratch(c, [mean, scale, off], 0, ([m, a, b]) =>
        exports.bn_normalize(offset(x), offsetOrNull(residual), offset(y), pixelsOf(x), c, m, a, b, relu ? 1 : 0),
      );
    },
    gradSums(dy, y, x, mean) {
      const c = channelsOf(x);
      const [sumDy, sumDyCentred] = withScratch(c, [mean], 2, ([m, a, b]) =>
        exports.bn_grad_sums(offset(dy), offsetOrNull(y), offset(x), pixelsOf(x), c, m, a, b),
      );
      return { sumDy, sumDyCentred };
    },
    gradInput(dy, y, x, dx, gOut, mean, k1, k2, k3) {
      const c = channelsOf(x);
      withScratch(c, [mean, k1, k2, k3], 0, ([m, a, b, d]) =>
        exports.bn_grad_input(offset(dy), offsetOrNull(y), offset(x), offset(dx), offsetOrNull(gOut), pixelsOf(x), c, m, a, b, d),
      );
    },
  };
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
