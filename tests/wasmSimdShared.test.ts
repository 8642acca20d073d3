// The shared-memory build of our SIMD kernels (for tfjs's threaded wasm build) against the unshared one: every
// kernel, run through simdKernelsFor on two fake backends (one per kind of memory) with the same inputs, must
// give bit-identical outputs; the two modules carry the same code and differ only in their memory import.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lcgValues } from './helpers/synthetic';
import { TRAINING_KERNELS_SHARED_WASM, TRAINING_KERNELS_WASM } from '../src/core/backends/simd/trainingKernels.wasm';
import { isSharedMemory, simdKernelsFor, wasmMemoryOf, type ConvGeometry, type SimdKernels } from '../src/core/backends/wasmSimd';

const PAGE = 65536;

/**
 * Just what simdKernelsFor reads of a tfjs wasm backend: the memory where one of tfjs's builds keeps it,
 * _malloc / _free, and dataIdMap. Every _malloc grows the memory and hands out the new pages, so each block
 * (the kernels' scratch ones included) lies past the buffer as it was before: a view taken before the
 * malloc would be too short (shared) or detached (unshared).
 */
class FakeBackend {
  readonly memory: WebAssembly.Memory;
  readonly wasm: object;
  readonly dataIdMap = new Map<object, { memoryOffset: number }>();

  constructor(shared: boolean) {
    // Both modules declare 2 pages at least; the shared one at most 65536, as tfjs's threaded build asks.
    this.memory = shared ? new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: 2 });
    const malloc = (bytes: number) => this.memory.grow(Math.ceil(bytes / PAGE)) * PAGE;
    // The single-threaded builds export their memory under asm; the threaded one keeps it as wasmMemory.
    this.wasm = shared ? { wasmMemory: this.memory, _malloc: malloc, _free: () => {} } : { asm: { memory: this.memory }, _malloc: malloc, _free: () => {} };
  }

  get kernels(): SimdKernels {
    const kernels = simdKernelsFor(this as unknown as BackendWasm);
    if (kernels == null) throw new Error('simdKernelsFor returned null');
    return kernels;
  }

  tensor(shape: number[], data: Float32Array | null): TensorInfo {
    const size = shape.reduce((a, b) => a * b, 1);
    const at = (this.wasm as { _malloc(bytes: number): number })._malloc(4 * size);
    if (data) new Float32Array(this.memory.buffer, at, size).set(data);
    const dataId = {};
    this.dataIdMap.set(dataId, { memoryOffset: at });
    return { dataId, shape, dtype: 'float32' };
  }

  read(t: TensorInfo): Float32Array {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const data = this.dataIdMap.get(t.dataId) as { memoryOffset: number };
    return new Float32Array(this.memory.buffer, data.memoryOffset, size).slice();
  }
}

// x [2, 9, 7, 5] → y [2, 5, 4, 6] by a 3x3 conv, stride 2, pads top 1 / left 1.
const G: ConvGeometry = {
  batch: 2, inHeight: 9, inWidth: 7, inChannels: 5, outHeight: 5, outWidth: 4, outChannels: 6,
  filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1,
};
const X_SHAPE = [G.batch, G.inHeight, G.inWidth, G.inChannels];
const W_SHAPE = [G.filterHeight, G.filterWidth, G.inChannels, G.outChannels];
const Y_SHAPE = [G.batch, G.outHeight, G.outWidth, G.outChannels];
const C = G.inChannels;
const channelVector = (seed: number) => lcgValues(C, seed);

/** Every kernel once, on `backend`; the outputs by name. Outputs are pre-filled with garbage, which each kernel must overwrite. */
function runAll(backend: FakeBackend): Record<string, Float32Array | Float64Array> {
  const k = backend.kernels;
  const x = backend.tensor(X_SHAPE, lcgValues(X_SHAPE.reduce((a, b) => a * b), 1));
  const w = backend.tensor(W_SHAPE, lcgValues(W_SHAPE.reduce((a, b) => a * b), 2));
  const wt = backend.tensor([G.filterHeight, G.filterWidth, G.outChannels, G.inChannels], lcgValues(W_SHAPE.reduce((a, b) => a * b), 3));
  const dy = backend.tensor(Y_SHAPE, lcgValues(Y_SHAPE.reduce((a, b) => a * b), 4));
  const garbage = (shape: number[], seed: number) => backend.tensor(shape, lcgValues(shape.reduce((a, b) => a * b), seed));
  const out: Record<string, Float32Array | Float64Array> = {};

  const y = garbage(Y_SHAPE, 90);
  k.conv2dForward(x, w, y, G);
  out.conv2dForward = backend.read(y);
  const dx = garbage(X_SHAPE, 91);
  k.conv2dInputGrad(dy, wt, dx, G);
  out.conv2dInputGrad = backend.read(dx);
  const dw = garbage(W_SHAPE, 92);
  k.conv2dFilterGrad(x, dy, dw, G);
  out.conv2dFilterGrad = backend.read(dw);

  // Winograd F(2×2, 3×3): forward, input and filter gradient of a 3x3 stride-1 "same" conv x3 [2, 6, 4, 8] → [2, 6, 4, 12].
  const g3: ConvGeometry = { ...G, inHeight: 6, inWidth: 4, inChannels: 8, outHeight: 6, outWidth: 4, outChannels: 12, strideHeight: 1, strideWidth: 1 };
  const [x3Shape, w3Shape, y3Shape] = [[2, 6, 4, 8], [3, 3, 8, 12], [2, 6, 4, 12]];
  const x3 = backend.tensor(x3Shape, lcgValues(2 * 6 * 4 * 8, 20));
  const w3 = backend.tensor(w3Shape, lcgValues(3 * 3 * 8 * 12, 21));
  const y3 = garbage(y3Shape, 97);
  k.conv3x3Winograd(x3, w3, y3, g3, false);
  out.winogradForward = backend.read(y3);
  const dx3 = garbage(x3Shape, 98);
  k.conv3x3Winograd(y3, w3, dx3, g3, true);
  out.winogradInputGrad = backend.read(dx3);
  const dw3 = garbage(w3Shape, 99);
  k.conv3x3WinogradFilterGrad(x3, y3, dw3, g3);
  out.winogradFilterGrad = backend.read(dw3);

  // Batch norm over x seen as [pixels, C]; r a residual, yRelu a ReLU output whose zeros mask the gradient.
  const { sum, sumSq } = k.channelSums(x, channelVector(5));
  Object.assign(out, { channelSumsSum: sum, channelSumsSumSq: sumSq });
  const r = backend.tensor(X_SHAPE, lcgValues(X_SHAPE.reduce((a, b) => a * b), 6));
  const [mean, scale, offset] = [channelVector(7), channelVector(8), channelVector(9)];
  for (const relu of [false, true]) {
    for (const residual of [null, r]) {
      const yn = garbage(X_SHAPE, 93);
      k.normalize(x, residual, yn, mean, scale, offset, relu);
      out[`normalize relu ${relu} residual ${residual != null}`] = backend.read(yn);
    }
  }
  const yRelu = garbage(X_SHAPE, 94);
  k.normalize(x, null, yRelu, mean, scale, offset, true);
  const dyx = backend.tensor(X_SHAPE, lcgValues(X_SHAPE.reduce((a, b) => a * b), 10));
  for (const masked of [null, yRelu]) {
    const tag = masked ? 'through ReLU' : 'plain';
    const { sumDy, sumDyCentred } = k.gradSums(dyx, masked, x, mean);
    Object.assign(out, { [`gradSums sumDy ${tag}`]: sumDy, [`gradSums sumDyCentred ${tag}`]: sumDyCentred });
    const dxn = garbage(X_SHAPE, 95);
    const g = masked ? garbage(X_SHAPE, 96) : null;
    k.gradInput(dyx, masked, x, dxn, g, mean, channelVector(11), channelVector(12), channelVector(13));
    out[`gradInput dx ${tag}`] = backend.read(dxn);
    if (g) out[`gradInput g ${tag}`] = backend.read(g);
  }
  return out;
}

/** Same bits, NaNs included (Object.is would equate -0 and 0 no better than ===; compare the raw words). */
function expectBitIdentical(actual: Float32Array | Float64Array, expected: Float32Array | Float64Array, what: string): void {
  expect(actual.constructor, what).toBe(expected.constructor);
  expect(actual.length, `${what} length`).toBe(expected.length);
  const bits = (a: Float32Array | Float64Array) => (a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : new BigUint64Array(a.buffer, a.byteOffset, a.length));
  const [a, e] = [bits(actual), bits(expected)];
  const first = a.findIndex((v, i) => v !== e[i]);
  expect(first, `${what}: first differing element ${first} (${actual[first]} vs ${expected[first]})`).toBe(-1);
}

describe('SIMD kernels on a shared memory (tfjs threaded build)', () => {
  it('simdKernelsFor finds a shared memory under wasmMemory and returns kernels for it', () => {
    const backend = new FakeBackend(true);
    expect(isSharedMemory(backend.memory)).toBe(true);
    expect(wasmMemoryOf(backend as unknown as BackendWasm)).toBe(backend.memory);
    expect(simdKernelsFor(backend as unknown as BackendWasm)).not.toBeNull();
    // Cached per memory.
    expect(simdKernelsFor(backend as unknown as BackendWasm)).toBe(simdKernelsFor(backend as unknown as BackendWasm));
  });

  it('needs its own module: the unshared one refuses a shared memory, and the shared one an unshared memory', () => {
    const shared = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const plain = new WebAssembly.Memory({ initial: 2 });
    const load = (base64: string, memory: WebAssembly.Memory) => new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), { env: { memory } });
    expect(() => load(TRAINING_KERNELS_WASM, shared)).toThrow(/shared/);
    expect(() => load(TRAINING_KERNELS_SHARED_WASM, plain)).toThrow();
    expect(() => load(TRAINING_KERNELS_SHARED_WASM, shared)).not.toThrow();
    expect(() => load(TRAINING_KERNELS_WASM, plain)).not.toThrow();
  });

  it('gives bit-identical results to the unshared module for every kernel, across heap growth', () => {
    const plain = new FakeBackend(false);
    const shared = new FakeBackend(true);
    const expected = runAll(plain);
    const actual = runAll(shared);
    // 2 pages to start, one per tensor (22) and one per scratch block of the Winograd (3) and batch-norm (10)
    // kernels: each of those blocks lay past the buffer the kernel saw before its malloc.
    expect(shared.memory.buffer.byteLength / PAGE).toBe(2 + 22 + 3 + 10);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(Object.keys(actual).length).toBe(19); // 3 convs, 3 Winograd convs, 2 sums, 4 normalize variants, 4 grad sums, 3 grad-input outputs
    for (const [name, values] of Object.entries(expected)) {
      // Not a vacuous match: every output has real values, none left as they were.
      expect(values.some((v) => v !== 0 && Number.isFinite(v)), `${name} has non-zero values`).toBe(true);
      expectBitIdentical(actual[name], values, name);
    }
  });
});
