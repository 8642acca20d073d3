// Times the three convolution kernels of a training step (forward, input gradient, filter gradient)
// on the wasm backend for every conv shape of ResNet-8, through each route src/core/backends/ has had:
// stock tfjs (XNNPACK forward, plain-C input gradient), a re-creation of the first prototype's filter
// gradient (im2col in JS + wasm BatchMatMul), the XNNPACK-based routes of wasmKernels.ts (OPL_WASM_SIMD
// off), and our SIMD loops (simd/trainingKernels.c). Run: npx tsx scripts/benchConvGrads.ts [--batch 64] [--runs 7]

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { setupBackend } from '../src/cli/setupBackend';
import { SIMD_FLAG } from '../src/core/backends/wasmSimd';

interface Shape {
  label: string;
  size: number;
  inC: number;
  outC: number;
  stride: number;
  k: number;
  /** How often the shape occurs in one ResNet-8 step, and whether its dx is computed (not for the stem). */
  count: number;
  needsDx: boolean;
}

const SHAPES: Shape[] = [
  { label: '32x32 3->16 s1', size: 32, inC: 3, outC: 16, stride: 1, k: 3, count: 1, needsDx: false },
  { label: '32x32 16->16 s1', size: 32, inC: 16, outC: 16, stride: 1, k: 3, count: 2, needsDx: true },
  { label: '32x32 16->32 s2', size: 32, inC: 16, outC: 32, stride: 2, k: 3, count: 1, needsDx: true },
  { label: '16x16 32->32 s1', size: 16, inC: 32, outC: 32, stride: 1, k: 3, count: 1, needsDx: true },
  { label: '16x16 32->64 s2', size: 16, inC: 32, outC: 64, stride: 2, k: 3, count: 1, needsDx: true },
  { label: '8x8 64->64 s1', size: 8, inC: 64, outC: 64, stride: 1, k: 3, count: 1, needsDx: true },
  // The 1x1 projection shortcuts, not part of the six 3x3 shapes but of every step.
  { label: '32x32 16->32 1x1 s2', size: 32, inC: 16, outC: 32, stride: 2, k: 1, count: 1, needsDx: true },
  { label: '16x16 32->64 1x1 s2', size: 16, inC: 32, outC: 64, stride: 2, k: 1, count: 1, needsDx: true },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Median wall time of `fn` in ms after two warm-up calls (XNNPACK packs a new filter on first use). */
function timeMedian(fn: () => () => void, runs: number): number {
  for (let i = 0; i < 2; i++) fn()();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // The wasm backend computes synchronously, so the kernel is done when fn returns.
    const start = performance.now();
    const release = fn();
    times.push(performance.now() - start);
    release();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * The prototype's filter gradient: im2col into [N·OH·OW, KH·KW·Ci] in JS, then cols^T · dy with the
 * wasm BatchMatMul (transposeA, which takes its non-XNNPACK path).
 */
function prototypeFilterGrad(backend: BackendWasm, x: tf.Tensor4D, dy: tf.Tensor4D, k: number, stride: number): tf.TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const info = tf.backend_util.computeConv2DInfo(x.shape, [k, k, ci, co], stride, 1, 'same');
  const rows = n * oh * ow;
  const cols = k * k * ci;
  const xv = backend.readSync(x.dataId) as Float32Array;
  const colBuf = new Float32Array(rows * cols);
  let r = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, r++) {
        let c = r * cols;
        for (let kh = 0; kh < k; kh++) {
          const ih = i * stride + kh - info.padInfo.top;
          for (let kw = 0; kw < k; kw++, c += ci) {
            const iw = j * stride + kw - info.padInfo.left;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
            const src = ((b * h + ih) * w + iw) * ci;
            colBuf.set(xv.subarray(src, src + ci), c);
          }
        }
      }
    }
  }
  const colInfo = backend.makeOutput([1, rows, cols], 'float32', undefined, colBuf);
  const dy3 = { dataId: dy.dataId, shape: [1, rows, co], dtype: 'float32' } as tf.TensorInfo;
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
  const out = matMul.kernelFunc({ inputs: { a: colInfo, b: dy3 }, backend, attrs: { transposeA: true, transposeB: false } });
  backend.disposeData(colInfo.dataId);
  return out as tf.TensorInfo;
}

function cell(ms: number, flops: number): string {
  return `${ms.toFixed(1).padStart(6)} ms ${(flops / ms / 1e6).toFixed(1).padStart(5)} GF/s`;
}

async function main(): Promise<void> {
  const batch = arg('batch', 64);
  const runs = arg('runs', 7);
  // Grab the stock input-gradient kernel before setupBackend replaces it.
  const stockInputGrad = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (stockInputGrad == null) throw new Error('the wasm backend has no stock Conv2DBackpropInput');
  await setupBackend('wasm');
  const backend = tf.backend() as BackendWasm;

  console.log(`wasm backend, batch ${batch}, median of ${runs} runs after 2 warm-ups, padding 'same'`);
  console.log(`flop counts: 2·N·OH·OW·KH·KW·Ci·Co (the same for all three kernels)\n`);
  const header = ['shape', 'fwd stock', 'fwd SIMD', 'dx stock', 'dx XNNPACK route', 'dx SIMD', 'dW prototype', 'dW XNNPACK route', 'dW SIMD'];
  const widths = [22, 21, 21, 21, 21, 21, 21, 21, 21];
  const line = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i])).join(''));
  line(header);
  const step = { stock: 0, xnnpack: 0, simd: 0 };

  for (const s of SHAPES) {
    const out = Math.ceil(s.size / s.stride);
    const flops = 2 * batch * out * out * s.k * s.k * s.inC * s.outC;
    const x = tf.randomNormal([batch, s.size, s.size, s.inC]) as tf.Tensor4D;
    const w = tf.randomNormal([s.k, s.k, s.inC, s.outC]) as tf.Tensor4D;
    const dy = tf.randomNormal([batch, out, out, s.outC]) as tf.Tensor4D;
    const gradAttrs = { strides: s.stride, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined };
    const asRelease = (t: tf.Tensor) => () => t.dispose();
    const infoRelease = (t: tf.TensorInfo) => () => backend.disposeData(t.dataId);
    const forward = () => timeMedian(() => asRelease(tf.conv2d(x, w, s.stride, 'same')), runs);
    const inputGrad = () => timeMedian(() => asRelease(tf.conv2dTranspose(dy, w, x.shape, s.stride, 'same')), runs);
    const filterGrad = () =>
      timeMedian(
        () => asRelease(tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...gradAttrs, filterShape: w.shape } as never) as tf.Tensor),
        runs,
      );

    tf.env().set(SIMD_FLAG, false); // our Conv2D then defers to the stock one, the gradients take the XNNPACK routes
    const fwdStock = forward();
    const dxXnnpack = inputGrad();
    const dwXnnpack = filterGrad();
    tf.env().set(SIMD_FLAG, true);
    const fwdSimd = forward();
    const dxSimd = inputGrad();
    const dwSimd = filterGrad();
    const dxStock = timeMedian(
      () =>
        infoRelease(
          stockInputGrad.kernelFunc({
            inputs: { dy, filter: w },
            backend,
            attrs: { ...gradAttrs, inputShape: x.shape } as unknown as tf.NamedAttrMap,
          }) as tf.TensorInfo,
        ),
      runs,
    );
    const dwProto = timeMedian(() => infoRelease(prototypeFilterGrad(backend, x, dy, s.k, s.stride)), Math.min(runs, 3));
    tf.dispose([x, w, dy]);

    const dx = (ms: number) => (s.needsDx ? ms : 0);
    step.stock += s.count * (fwdStock + dx(dxStock) + dwProto);
    step.xnnpack += s.count * (fwdStock + dx(dxXnnpack) + dwXnnpack);
    step.simd += s.count * (fwdSimd + dx(dxSimd) + dwSimd);
    line([s.label, ...[fwdStock, fwdSimd, dxStock, dxXnnpack, dxSimd, dwProto, dwXnnpack, dwSimd].map((ms) => cell(ms, flops))]);
  }
  console.log(
    `\nconv work of one ResNet-8 step (stem without dx, 16->16 twice, shortcuts included):\n` +
      `  stock + prototype dW ${step.stock.toFixed(0)} ms, XNNPACK routes ${step.xnnpack.toFixed(0)} ms, SIMD ${step.simd.toFixed(0)} ms`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
