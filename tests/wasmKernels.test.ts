// The wasm conv kernels (src/core/backends/wasmKernels.ts: forward, input and filter gradient) against the cpu
// backend as the oracle: strides, paddings, kernel sizes, odd shapes, the exact ResNet-8 shapes, and no leaks;
// each through our SIMD loops (simd/trainingKernels.c) and through the XNNPACK routes they fall back to.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupBackend } from '../src/cli/setupBackend';
import { registerWasmTrainingKernels } from '../src/core/backends/wasmKernels';
import { TRAINING_KERNELS_WASM } from '../src/core/backends/simd/trainingKernels.wasm';
import { SIMD_FLAG, simdKernelsFor, winogradFits } from '../src/core/backends/wasmSimd';
import { lcgValues } from './helpers/synthetic';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  kh: number;
  kw: number;
  stride: number | [number, number];
  pad: Pad;
}

function convOutSize(c: Case): [number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    [c.n, c.h, c.w, c.ci],
    [c.kh, c.kw, c.ci, c.co],
    c.stride,
    1,
    c.pad as 'same',
  );
  return [info.outHeight, info.outWidth];
}

/** y = conv2d(x, w), and dx and dW of sum(y · r) on `backend`; r plays the role of dy. */
async function gradsOn(backend: 'cpu' | 'wasm', c: Case): Promise<{ y: Float32Array; dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  const [oh, ow] = convOutSize(c);
  return tf.tidy(() => {
    const x = tf.tensor4d(lcgValues(c.n * c.h * c.w * c.ci, 1), [c.n, c.h, c.w, c.ci]);
    const w = tf.tensor4d(lcgValues(c.kh * c.kw * c.ci * c.co, 2), [c.kh, c.kw, c.ci, c.co]);
    const r = tf.tensor4d(lcgValues(c.n * oh * ow * c.co, 3), [c.n, oh, ow, c.co]);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad as 'same'), r));
    const [dx, dw] = tf.grads(loss)([x, w]);
    const y = tf.conv2d(x, w, c.stride, c.pad as 'same');
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

/** Elementwise |a - b| ≤ 1e-4 · (|b| + max|b|): float32 sums of up to ~10^4 terms reorder freely. */
function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + scale + 1e-12);
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${worstAt} (${actual[worstAt]} vs ${expected[worstAt]})`).toBeLessThan(1e-4);
}

async function compare(c: Case): Promise<void> {
  const cpu = await gradsOn('cpu', c);
  const wasm = await gradsOn('wasm', c);
  expectClose(wasm.y, cpu.y, 'y');
  expectClose(wasm.dx, cpu.dx, 'dx');
  expectClose(wasm.dw, cpu.dw, 'dW');
}

function label(c: Case): string {
  return `x ${c.n}x${c.h}x${c.w}x${c.ci}, w ${c.kh}x${c.kw} ${c.ci}->${c.co}, stride ${JSON.stringify(c.stride)}, pad ${JSON.stringify(c.pad)}`;
}

beforeAll(async () => {
  await setupBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

describe('setupBackend', () => {
  it('makes the requested backend active and registers our kernels', async () => {
    await setupBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await setupBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('rejects an unknown backend with a clear error', async () => {
    await expect(setupBackend('gpu' as 'cpu')).rejects.toThrow(/unknown backend 'gpu'/);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('registerWasmTrainingKernels', () => {
  it('is idempotent: re-registering warns nothing and keeps the same kernels', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const filter = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    const input = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(filter?.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(input?.kernelFunc);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('SIMD module', () => {
  it('loads into the wasm backend in Node, and OPL_WASM_SIMD turns it off', () => {
    const backend = tf.backend() as BackendWasm;
    expect(simdKernelsFor(backend)).not.toBeNull();
    tf.env().set(SIMD_FLAG, false);
    expect(simdKernelsFor(backend)).toBeNull();
    tf.env().set(SIMD_FLAG, true);
  });

  it('works on any memory it is given (here its own, checked against plain loops)', () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const module = new WebAssembly.Module(Buffer.from(TRAINING_KERNELS_WASM, 'base64'));
    const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as {
      conv2d_filter_grad(...args: number[]): void;
    };
    // x [2, 5, 4, 3], dy [2, 3, 2, 6] from a 3x3 conv, stride 2, pads top 1 / left 1.
    const [n, h, w, ci, oh, ow, co, k3, s, pad] = [2, 5, 4, 3, 3, 2, 6, 3, 2, 1];
    const heap = new Float32Array(memory.buffer);
    const xAt = 1024;
    const dyAt = xAt + n * h * w * ci;
    const dwAt = dyAt + n * oh * ow * co;
    heap.set(lcgValues(n * h * w * ci, 11), xAt);
    heap.set(lcgValues(n * oh * ow * co, 12), dyAt);
    k.conv2d_filter_grad(4 * xAt, 4 * dyAt, 4 * dwAt, n, h, w, ci, oh, ow, co, k3, k3, s, s, pad, pad);
    const expected = new Float32Array(k3 * k3 * ci * co);
    for (let kh = 0; kh < k3; kh++) for (let kw = 0; kw < k3; kw++) for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) {
      let sum = 0;
      for (let b = 0; b < n; b++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
        const ih = y * s + kh - pad;
        const iw = x * s + kw - pad;
        if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
        sum += heap[xAt + ((b * h + ih) * w + iw) * ci + c] * heap[dyAt + ((b * oh + y) * ow + x) * co + o];
      }
      expected[((kh * k3 + kw) * ci + c) * co + o] = sum;
    }
    expectClose(heap.slice(dwAt, dwAt + expected.length), expected, 'dW');
  });
});

describe('Identity', () => {
  it('shares the input memory instead of copying it, and each tensor stays valid alone', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const a = tf.tensor1d([1, 2, 3]);
    const ids = backend.numDataIds();
    const b = tf.clone(a);
    expect(backend.numDataIds()).toBe(ids);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(backend.numDataIds()).toBe(ids - 1);
  });
});

// Both routes: our SIMD loops, and the XNNPACK-based ones used where the SIMD module cannot load.
for (const simd of [true, false]) {
  describe(simd ? 'SIMD route' : 'XNNPACK route (OPL_WASM_SIMD off)', () => {
    beforeAll(() => {
      tf.env().set(SIMD_FLAG, simd);
    });
    afterAll(() => {
      tf.env().set(SIMD_FLAG, true);
    });

  describe('wasm conv kernels match the cpu backend', () => {
    const cases: Case[] = [];
    // Every stride × padding × kernel size, on odd, non-square inputs and mixed batch/channel counts.
    const shapes = [
      { n: 1, h: 7, w: 5, ci: 3, co: 5 },
      { n: 3, h: 9, w: 6, ci: 1, co: 3 },
      { n: 2, h: 8, w: 8, ci: 5, co: 1 },
    ];
    let i = 0;
    for (const stride of [1, 2, 3]) {
      for (const k of [1, 3, 5]) {
        for (const padKind of ['same', 'valid', 'explicit'] as const) {
          const shape = shapes[i++ % shapes.length];
          const pad: Pad =
            padKind === 'explicit'
              ? [[0, 0], [k === 1 ? 0 : 1, 2], [2, k === 5 ? 4 : 0], [0, 0]] // uneven; some wider than k-1
              : padKind;
          cases.push({ ...shape, kh: k, kw: k, stride, pad });
        }
      }
    }
    // Rectangular kernels, unequal strides, a numeric pad.
    cases.push({ n: 2, h: 7, w: 5, ci: 3, co: 4, kh: 3, kw: 5, stride: [2, 1], pad: 'same' });
    cases.push({ n: 3, h: 9, w: 8, ci: 2, co: 3, kh: 5, kw: 3, stride: [1, 3], pad: [[0, 0], [1, 2], [0, 3], [0, 0]] });
    cases.push({ n: 1, h: 7, w: 7, ci: 3, co: 2, kh: 2, kw: 4, stride: [3, 2], pad: 'valid' });
    cases.push({ n: 2, h: 6, w: 7, ci: 4, co: 3, kh: 3, kw: 3, stride: 2, pad: 1 });
    // Pads wider than the kernel reach the stock Conv2DBackpropInput fallback.
    cases.push({ n: 2, h: 6, w: 6, ci: 2, co: 3, kh: 3, kw: 3, stride: 1, pad: [[0, 0], [3, 1], [4, 0], [0, 0]] });
    cases.push({ n: 2, h: 6, w: 6, ci: 2, co: 3, kh: 1, kw: 1, stride: 2, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] });
    // 1x1 with only far-side pads: output pixels past the input must read (and receive) zeros.
    cases.push({ n: 2, h: 6, w: 5, ci: 2, co: 3, kh: 1, kw: 1, stride: 1, pad: [[0, 0], [0, 2], [0, 1], [0, 0]] });
    cases.push({ n: 2, h: 6, w: 5, ci: 2, co: 3, kh: 1, kw: 1, stride: 2, pad: [[0, 0], [0, 3], [0, 2], [0, 0]] });

    for (const c of cases) {
      it(label(c), async () => {
        await compare(c);
      });
    }
  });

  describe('wasm conv kernels on the ResNet-8 shapes (batch 8)', () => {
    const resnet: Case[] = [
      { n: 8, h: 32, w: 32, ci: 3, co: 16, kh: 3, kw: 3, stride: 1, pad: 'same' },
      { n: 8, h: 32, w: 32, ci: 16, co: 16, kh: 3, kw: 3, stride: 1, pad: 'same' },
      { n: 8, h: 32, w: 32, ci: 16, co: 32, kh: 3, kw: 3, stride: 2, pad: 'same' },
      { n: 8, h: 32, w: 32, ci: 16, co: 32, kh: 1, kw: 1, stride: 2, pad: 'same' },
      { n: 8, h: 16, w: 16, ci: 32, co: 64, kh: 3, kw: 3, stride: 2, pad: 'same' },
      { n: 8, h: 16, w: 16, ci: 32, co: 64, kh: 1, kw: 1, stride: 2, pad: 'same' },
      { n: 8, h: 8, w: 8, ci: 64, co: 64, kh: 3, kw: 3, stride: 1, pad: 'same' },
    ];
    for (const c of resnet) {
      it(label(c), async () => {
        await compare(c);
      });
    }
  });

  // 3x3 stride-1 "same" convs with even sides and channels in fours take the Winograd route (forward and input
  // gradient): several tiles per block and a short last block (14 rows of 6 tiles), a row of more tiles than a
  // block (36 wide), a single tile, and output channel counts that leave 8- and 4-wide groups.
  describe('Winograd F(2x2, 3x3) route matches the cpu backend', () => {
    const cases: Case[] = [
      { n: 2, h: 14, w: 6, ci: 8, co: 12, kh: 3, kw: 3, stride: 1, pad: 'same' },
      { n: 1, h: 4, w: 36, ci: 12, co: 4, kh: 3, kw: 3, stride: 1, pad: 1 },
      { n: 3, h: 2, w: 2, ci: 4, co: 20, kh: 3, kw: 3, stride: 1, pad: 'same' },
      { n: 2, h: 16, w: 16, ci: 32, co: 32, kh: 3, kw: 3, stride: 1, pad: 'same' },
    ];
    for (const c of cases) {
      it(label(c), async () => {
        const info = tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [3, 3, c.ci, c.co], c.stride, 1, c.pad as 'same');
        const g = { batch: c.n, inHeight: c.h, inWidth: c.w, inChannels: c.ci, outHeight: info.outHeight, outWidth: info.outWidth, outChannels: c.co };
        const geometry = { ...g, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: info.padInfo.top, padLeft: info.padInfo.left };
        expect(winogradFits(geometry)).toBe(true);
        await compare(c);
      });
    }
    it('is not taken for odd sides, other strides or pads, or channels not in fours', () => {
      const base = { batch: 1, inHeight: 8, inWidth: 8, inChannels: 8, outHeight: 8, outWidth: 8, outChannels: 8, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1 };
      expect(winogradFits(base)).toBe(true);
      expect(winogradFits({ ...base, inHeight: 7, outHeight: 7 })).toBe(false);
      expect(winogradFits({ ...base, strideWidth: 2, outWidth: 4 })).toBe(false);
      expect(winogradFits({ ...base, padTop: 0, outHeight: 6 })).toBe(false);
      expect(winogradFits({ ...base, inChannels: 3 })).toBe(false);
      expect(winogradFits({ ...base, outChannels: 6 })).toBe(false);
      expect(winogradFits({ ...base, filterHeight: 5, filterWidth: 5, padTop: 2, padLeft: 2 })).toBe(false);
    });
  });

  describe('kernel attributes', () => {
    const x = () => tf.tensor4d(lcgValues(2 * 8 * 7 * 3, 4), [2, 8, 7, 3]);

    it('honours dimRoundingMode with a numeric pad (direct kernel call)', async () => {
      // 8 rows, k 3, stride 2, pad 1: (8 - 3 + 2) / 2 + 1 = 4.5 output rows, so the mode matters;
      // and a 1x1 kernel at stride 3, pad 0: ceil gives a last output row past the input.
      const variants = [
        { k: 3, stride: 2, pad: 1 },
        { k: 1, stride: 3, pad: 0 },
      ];
      const cases = variants.flatMap((v) => (['floor', 'ceil', 'round'] as const).map((dimRoundingMode) => ({ ...v, dimRoundingMode })));
      for (const { k, stride, pad, dimRoundingMode } of cases) {
        const results: Record<string, Float32Array[]> = {};
        for (const backend of ['cpu', 'wasm'] as const) {
          await tf.setBackend(backend);
          results[backend] = tf.tidy(() => {
            const info = tf.backend_util.computeConv2DInfo([2, 8, 7, 3], [k, k, 3, 4], stride, 1, pad, dimRoundingMode);
            const dy = tf.tensor4d(lcgValues(2 * info.outHeight * info.outWidth * 4, 5), [2, info.outHeight, info.outWidth, 4]);
            const w = tf.tensor4d(lcgValues(k * k * 3 * 4, 6), [k, k, 3, 4]);
            const attrs = { strides: stride, pad, dataFormat: 'NHWC', dimRoundingMode };
            const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy }, { ...attrs, filterShape: [k, k, 3, 4] } as never);
            const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [2, 8, 7, 3] } as never);
            return [(dx as tf.Tensor).dataSync() as Float32Array, (dw as tf.Tensor).dataSync() as Float32Array];
          });
        }
        expectClose(results.wasm[0], results.cpu[0], `dx (k ${k}, ${dimRoundingMode})`);
        expectClose(results.wasm[1], results.cpu[1], `dW (k ${k}, ${dimRoundingMode})`);
      }
      await tf.setBackend('wasm');
    });

    it('rejects NCHW, non-float32 inputs and dilations with a clear error', async () => {
      await tf.setBackend('wasm');
      tf.tidy(() => {
        const dy = tf.zeros([2, 8, 7, 4]);
        const attrs = { strides: 1, pad: 'same', dimRoundingMode: undefined, filterShape: [3, 3, 3, 4] };
        expect(() =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy }, { ...attrs, dataFormat: 'NCHW' } as never),
        ).toThrow(/only dataFormat 'NHWC'/);
        expect(() =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: x().toInt(), dy }, { ...attrs, dataFormat: 'NHWC' } as never),
        ).toThrow(/only float32/);
        expect(() =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy }, { ...attrs, dataFormat: 'NHWC', dilations: 2 } as never),
        ).toThrow(/only dilations 1/);
      });
    });
  });

  describe('no leaks', () => {
    it('leaves tf.memory().numTensors and the wasm numDataIds unchanged', async () => {
      await tf.setBackend('wasm');
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const x = tf.tensor4d(lcgValues(4 * 9 * 9 * 8, 7), [4, 9, 9, 8]);
      const w3 = tf.tensor4d(lcgValues(3 * 3 * 8 * 6, 8), [3, 3, 8, 6]);
      const w1 = tf.tensor4d(lcgValues(8 * 6, 9), [1, 1, 8, 6]);
      // One round per code path: conv trick + sub-pixel (with crops), pointwise, stock fallback.
      const round = () =>
        tf.tidy(() => {
          const grads = [
            tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid')))([x, w3]),
            tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w1]),
            tf.grads((a: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, [[0, 0], [3, 0], [0, 4], [0, 0]])),
            )([x, w3]),
          ];
          for (const g of grads.flat()) g.dataSync();
        });
      round(); // warm-up: first calls may allocate lasting state
      const tensorsBefore = tf.memory().numTensors;
      const idsBefore = backend.numDataIds();
      for (let i = 0; i < 3; i++) round();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(backend.numDataIds()).toBe(idsBefore);
      tf.dispose([x, w3, w1]);
    });
  });
  });
}
