// Training kernels for the tfjs `wasm` backend. It ships no Conv2DBackpropFilter, so it cannot train a
// convnet, and its Conv2DBackpropInput is a plain C loop ~10x slower than the XNNPACK forward conv.
// Where our SIMD module loads (wasmSimd.ts, simd/trainingKernels.c: in Node, and in browsers on tfjs's
// single-threaded SIMD build), both gradients and the forward conv run as its direct loops. Otherwise both gradients are
// rewritten as XNNPACK forward convolutions plus cheap layout shuffles, and the forward conv is stock.
// registerWasmTrainingKernels() at the bottom also installs the fused batch-norm kernels
// (wasmBatchNorm.ts) and a copy-free Identity.

import '@tensorflow/tfjs-backend-wasm'; // its stock kernels must be registered before we replace one
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  Identity,
  registerKernel,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs,
  Conv2DInputs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { WASM_BATCH_NORM_KERNELS } from './wasmBatchNorm';
import { simdKernelsFor, winogradFits, type ConvGeometry, type SimdKernels } from './wasmSimd';

const BACKEND = 'wasm';

type Pads = [top: number, bottom: number, left: number, right: number];

// ---------------------------------------------------------------------------------------------
// Helpers. Everything runs other kernels' kernelFuncs directly: calling tf ops from inside a
// kernel would record them on the gradient tape and leak engine-tracked tensors.
// ---------------------------------------------------------------------------------------------

function runKernel(
  name: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(name, BACKEND);
  if (kernel == null) throw new Error(`wasmKernels: the wasm backend has no '${name}' kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

function dispose(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runKernel('Transpose', backend, { x }, { perm });
}

/** XNNPACK forward conv, stride 1, with explicit pads and the given dilation. */
function conv(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, pads: Pads, dilations: [number, number]): TensorInfo {
  const [top, bottom, left, right] = pads;
  const attrs = {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: 'NHWC',
    dilations,
    dimRoundingMode: undefined,
  };
  return runKernel('Conv2D', backend, { x, filter }, attrs as unknown as NamedAttrMap);
}

/**
 * Crops dims 1 and 2 of a rank-4 tensor to [off1, off1 + size1) × [off2, off2 + size2), disposing
 * `x`; returns `x` itself when nothing is cut. Copies whole contiguous rows on the heap: the stock
 * Slice kernel copies the full input into JS first and then moves one innermost run at a time.
 */
function crop12(backend: BackendWasm, x: TensorInfo, off1: number, size1: number, off2: number, size2: number): TensorInfo {
  const [d0, d1, d2, d3] = x.shape;
  if (off1 === 0 && off2 === 0 && size1 === d1 && size2 === d2) return x;
  const out = backend.makeOutput([d0, size1, size2, d3], x.dtype);
  // Views only after makeOutput: a malloc can grow (and so detach) the wasm heap.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const run = size2 * d3;
  let o = 0;
  for (let i = 0; i < d0; i++) {
    for (let j = 0; j < size1; j++, o += run) {
      const s = ((i * d1 + off1 + j) * d2 + off2) * d3;
      dst.set(src.subarray(s, s + run), o);
    }
  }
  dispose(backend, x);
  return out;
}

function dilationsOf(attrs: object): unknown {
  return (attrs as { dilations?: unknown }).dilations;
}

function convInfoFor(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: Conv2DBackpropFilterAttrs['pad'],
  dimRoundingMode: Conv2DBackpropFilterAttrs['dimRoundingMode'],
  dataFormat: string,
  dilations: unknown,
  dyShape: number[],
): backend_util.Conv2DInfo {
  // The gradient attrs carry no dilations (tfjs refuses to differentiate dilated conv2d); reject
  // a caller that passes them anyway rather than silently computing the undilated gradient.
  if (dilations != null && !(dilations === 1 || (Array.isArray(dilations) && dilations.every((d) => d === 1)))) {
    throw new Error(`wasm ${kernel}: only dilations 1 are supported, got ${JSON.stringify(dilations)}`);
  }
  if (dataFormat !== 'NHWC') {
    throw new Error(`wasm ${kernel}: only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`wasm ${kernel}: expected rank-4 input and filter, got [${xShape}] and [${filterShape}]`);
  }
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (!util.arraysEqual(dyShape, info.outShape)) {
    throw new Error(`wasm ${kernel}: dy shape [${dyShape}] does not match the conv output [${info.outShape}]`);
  }
  return info;
}

/**
 * A 1x1 conv whose every output pixel reads one real input pixel (no top/left pad, and no output
 * row or column that lands in far-side padding): its gradients are plain matmuls, see below.
 */
function isPointwise(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, padInfo, outHeight, outWidth, strideHeight, strideWidth } = info;
  return (
    filterHeight === 1 &&
    filterWidth === 1 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    (outHeight - 1) * strideHeight < info.inHeight &&
    (outWidth - 1) * strideWidth < info.inWidth
  );
}

function assertFloat32(kernel: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') throw new Error(`wasm ${kernel}: only float32 is supported, got ${info.dtype}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter
// ---------------------------------------------------------------------------------------------

/**
 * Pointwise conv (the ResNet projection shortcuts): dW = xs^T · dy, a plain matmul over
 * the n·OH·OW pixels, where xs is x at the strided pixels the forward pass read. The conv route
 * would transpose all of x and, for stride 2, compute 3 discarded taps for every kept one.
 */
function pointwiseFilterGrad(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
  const pixels = batchSize * outHeight * outWidth;
  // xsT[ci, p] = x[n, oh·sH, ow·sW, ci] for pixel p = (n, oh, ow), gathered in JS straight on the
  // heap: the stock StridedSlice kernel took 20 ms for a 64x32x32x16 input, this takes ~1 ms.
  // (Transposed because BatchMatMul only reaches XNNPACK without transposeA.)
  const xsT = backend.makeOutput([1, inChannels, pixels], 'float32');
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(xsT) as Float32Array;
  let p = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      let s = (n * inHeight + oh * strideHeight) * inWidth * inChannels;
      for (let ow = 0; ow < outWidth; ow++, p++, s += strideWidth * inChannels) {
        for (let ci = 0, d = p; ci < inChannels; ci++, d += pixels) dst[d] = src[s + ci];
      }
    }
  }
  // BatchMatMul caches its XNNPACK operator (a packed copy of b) under b's id alone, ignoring the
  // shape, and keeps it until b is freed. Hand it a private copy of dy: the caller's dy could meet
  // another matmul under a different shape, and the packed copy is released right away.
  const dyCopy = backend.makeOutput([1, pixels, outChannels], 'float32');
  (backend.typedArrayFromHeap(dyCopy) as Float32Array).set(backend.typedArrayFromHeap(dy) as Float32Array);
  const dW = runKernel('BatchMatMul', backend, { a: xsT, b: dyCopy }, { transposeA: false, transposeB: false });
  dispose(backend, xsT, dyCopy);
  return { ...dW, shape: info.filterShape };
}

/** The geometry our SIMD kernels take, from tfjs's conv info. */
function geometryOf(info: backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * The direct route: our SIMD loop (simd/trainingKernels.c) reads x and dy where they lie, ~40 GFLOP/s
 * on the ResNet shapes against 10-25 for the XNNPACK routes below, which stay as the fallback; a 3x3
 * stride-1 "same" conv goes through Winograd F(2x2, 3x3) instead (~1.3-1.7x faster again).
 */
function filterGradBySimd(backend: BackendWasm, simd: SimdKernels, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const dW = backend.makeOutput(info.filterShape, 'float32');
  const geometry = geometryOf(info);
  if (winogradFits(geometry)) simd.conv3x3WinogradFilterGrad(x, dy, dW, geometry);
  else simd.conv2dFilterGrad(x, dy, dW, geometry);
  return dW;
}

/**
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·s+kh, ow·s+kw, ci] · dy[n,oh,ow,co] is itself a
 * convolution once batch and channels trade places: x as [ci, H, W, n] (ci is the "batch", n the
 * "channels"), padded like the forward pass, convolved at stride 1 and dilation s with dy as the
 * filter [OH, OW, n, co]. The [ci, kh, kw, co] result is transposed to [kh, kw, ci, co].
 * XNNPACK's indirection buffer does the im2col implicitly, so nothing 9x-sized is materialised
 * (the buffer holds Ci·KH·KW·OH·OW pointers: ~0.6 MB at CIFAR sizes, but it grows with the image).
 * (An explicit im2col in JS + XNNPACK matmul measured 1.1-2x slower on every ResNet shape.)
 */
function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  assertFloat32(Conv2DBackpropFilter, x, dy);
  const info = convInfoFor(Conv2DBackpropFilter, x.shape, filterShape, strides, pad, dimRoundingMode, dataFormat, dilationsOf(attrs), dy.shape);
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const simd = simdKernelsFor(backend);
  if (simd != null) return filterGradBySimd(backend, simd, x, dy, info);
  if (isPointwise(info)) return pointwiseFilterGrad(backend, x, dy, info);

  // The forward pass read padded rows [0, (OH-1)·s + KH); whatever lies past the input is bottom
  // padding. If that is negative the forward pass never reached the last input rows: pad nothing
  // and crop the surplus output taps instead.
  const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - padInfo.top;
  const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - padInfo.left;

  const xT = transpose(backend, x, [3, 1, 2, 0]); // [ci, H, W, n]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, n, co]
  const pads: Pads = [padInfo.top, Math.max(bottom, 0), padInfo.left, Math.max(right, 0)];
  let out = conv(backend, xT, dyT, pads, [strideHeight, strideWidth]); // [ci, ≥KH, ≥KW, co]
  dispose(backend, xT, dyT);
  out = crop12(backend, out, 0, filterHeight, 0, filterWidth);
  const dW = transpose(backend, out, [1, 2, 0, 3]);
  dispose(backend, out);
  return dW;
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropInput
// ---------------------------------------------------------------------------------------------

/** The shipped kernel, kept as the fallback for pads wider than the kernel. */
let stockInputGrad: KernelConfig | undefined;

/**
 * Rearranges the forward filter W[kh, kw, ci, co] into the sub-pixel filter
 * G[a, b, co, (rh·sW + rw)·Ci + ci] = W[(tH-1-a)·sH + rh, (tW-1-b)·sW + rw, ci, co] (0 past the edge):
 * flipped, in/out channels swapped, one output-channel group per stride phase (rh, rw).
 */
function subPixelFilter(w: Float32Array, info: backend_util.Conv2DInfo, tapsH: number, tapsW: number): Float32Array {
  const { inChannels, outChannels, filterHeight: kH, filterWidth: kW, strideHeight: sH, strideWidth: sW } = info;
  const gOut = sH * sW * inChannels;
  const g = new Float32Array(tapsH * tapsW * outChannels * gOut);
  for (let a = 0; a < tapsH; a++) {
    for (let rh = 0; rh < sH; rh++) {
      const kh = (tapsH - 1 - a) * sH + rh;
      if (kh >= kH) continue;
      for (let b = 0; b < tapsW; b++) {
        for (let rw = 0; rw < sW; rw++) {
          const kw = (tapsW - 1 - b) * sW + rw;
          if (kw >= kW) continue;
          const phase = (rh * sW + rw) * inChannels;
          for (let ci = 0; ci < inChannels; ci++) {
            const src = ((kh * kW + kw) * inChannels + ci) * outChannels;
            let dst = (a * tapsW + b) * outChannels * gOut + phase + ci;
            for (let co = 0; co < outChannels; co++, dst += gOut) g[dst] = w[src + co];
          }
        }
      }
    }
  }
  return g;
}

/**
 * dx is a transposed convolution. Write padded input row p = h + top as p = q·s + r: it only
 * receives the taps kh ≡ r (mod s), kh = j·s + r, from dy row q - j. So each of the s×s stride
 * phases (rh, rw) is an ordinary stride-1 conv of dy with a flipped ceil(K/s)-tap sub-filter; one
 * conv computes all phases as output-channel groups and a transpose interleaves them into rows and
 * columns (depth-to-space). For s = 1 this is the familiar conv of dy with the flipped, transposed
 * filter. Returns null when a forward pad exceeds the kernel (the conv would need negative pads).
 */
function inputGradBySubPixelConv(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight: sH, strideWidth: sW, padInfo } = info;
  const tapsH = Math.ceil(filterHeight / sH);
  const tapsW = Math.ceil(filterWidth / sW);
  // First dy-quotient row q0 that input row 0 falls in, and input row 0's offset inside it.
  const q0H = Math.floor(padInfo.top / sH);
  const q0W = Math.floor(padInfo.left / sW);
  const padTop = tapsH - 1 - q0H;
  const padLeft = tapsW - 1 - q0W;
  if (padTop < 0 || padLeft < 0) return null;
  const offH = padInfo.top - q0H * sH;
  const offW = padInfo.left - q0W * sW;
  // Rows of quotients needed to cover input rows [0, H); a stride-1 conv yields OH + pads - taps + 1
  // rows, which fixes the far pad (clamped at 0: surplus rows are cropped below).
  const rowsQ = Math.ceil((padInfo.top + inHeight) / sH) - q0H;
  const colsQ = Math.ceil((padInfo.left + inWidth) / sW) - q0W;
  const padBottom = Math.max(rowsQ - outHeight - padTop + tapsH - 1, 0);
  const padRight = Math.max(colsQ - outWidth - padLeft + tapsW - 1, 0);

  const g = subPixelFilter(backend.readSync(filter.dataId) as Float32Array, info, tapsH, tapsW);
  const gInfo = backend.makeOutput([tapsH, tapsW, info.outChannels, sH * sW * inChannels], 'float32', undefined, g);
  let y = conv(backend, dy, gInfo, [padTop, padBottom, padLeft, padRight], [1, 1]); // [n, qH, qW, (rh, rw, ci)]
  dispose(backend, gInfo);

  if (sH * sW > 1) {
    // Depth-to-space as a 6-D transpose: the stock DepthToSpace kernel measured ~30x slower.
    const [, qH, qW] = y.shape;
    const y6 = { ...y, shape: [batchSize, qH, qW, sH, sW, inChannels] };
    const spread = transpose(backend, y6, [0, 1, 3, 2, 4, 5]);
    dispose(backend, y);
    y = { ...spread, shape: [batchSize, qH * sH, qW * sW, inChannels] };
  }
  return crop12(backend, y, offH, inHeight, offW, inWidth);
}

/**
 * Pointwise conv: dx is dy · W^T at the pixels the forward pass read and zero
 * elsewhere. The sub-pixel route would spend 3 of every 4 output channels on zeros at stride 2.
 */
function pointwiseInputGrad(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
  const wT = transpose(backend, { ...filter, shape: [inChannels, outChannels] }, [1, 0]);
  const z = conv(backend, dy, { ...wT, shape: [1, 1, outChannels, inChannels] }, [0, 0, 0, 0], [1, 1]);
  dispose(backend, wT);
  if (strideHeight === 1 && strideWidth === 1 && outHeight === inHeight && outWidth === inWidth) return z;
  // Scatter the [n, OH, OW, ci] result onto the strided pixels of a zeroed [n, H, W, ci] tensor.
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  const src = backend.typedArrayFromHeap(z) as Float32Array;
  const dst = backend.typedArrayFromHeap(dx) as Float32Array;
  dst.fill(0);
  let s = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      let d = (n * inHeight + oh * strideHeight) * inWidth * inChannels;
      for (let ow = 0; ow < outWidth; ow++, s += inChannels, d += strideWidth * inChannels) {
        dst.set(src.subarray(s, s + inChannels), d);
      }
    }
  }
  dispose(backend, z);
  return dx;
}

/**
 * The direct route: our SIMD gather loop walks, for every input pixel, the taps that reached it (any
 * stride or padding), reading dy in place; it needs the filter as [kh, kw, co, ci], a small copy. A 3x3
 * stride-1 "same" conv goes through Winograd F(2x2, 3x3) instead (~1.2-1.6x faster), which reads the
 * forward filter as it is.
 */
function inputGradBySimd(backend: BackendWasm, simd: SimdKernels, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const geometry = geometryOf(info);
  if (winogradFits(geometry)) {
    const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32');
    simd.conv3x3Winograd(dy, filter, dx, geometry, true);
    return dx;
  }
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  const wt = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, inChannels], 'float32');
  // Views only after makeOutput: a malloc can grow (and so detach) the wasm heap.
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const t = backend.typedArrayFromHeap(wt) as Float32Array;
  for (let tap = 0; tap < filterHeight * filterWidth; tap++) {
    const base = tap * inChannels * outChannels;
    for (let ci = 0; ci < inChannels; ci++) {
      for (let co = 0; co < outChannels; co++) t[base + co * inChannels + ci] = w[base + ci * outChannels + co];
    }
  }
  simd.conv2dInputGrad(dy, wt, dx, geometryOf(info));
  dispose(backend, wt);
  return dx;
}

function conv2DBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  assertFloat32(Conv2DBackpropInput, dy, filter);
  const info = convInfoFor(Conv2DBackpropInput, inputShape, filter.shape, strides, pad, dimRoundingMode, dataFormat, dilationsOf(attrs), dy.shape);
  const simd = simdKernelsFor(backend);
  if (simd != null) return inputGradBySimd(backend, simd, dy, filter, info);
  if (isPointwise(info)) return pointwiseInputGrad(backend, dy, filter, info);
  const dx = inputGradBySubPixelConv(backend, dy, filter, info);
  if (dx != null) return dx;
  if (stockInputGrad == null) throw new Error(`wasm ${Conv2DBackpropInput}: no stock kernel to fall back to`);
  return stockInputGrad.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

// ---------------------------------------------------------------------------------------------
// Conv2D (forward)
// ---------------------------------------------------------------------------------------------

/** The shipped XNNPACK kernel: the fallback, and the route for what ours does not cover (dilation, NCHW). */
let stockConv2D: KernelConfig | undefined;

/**
 * Forward conv through our SIMD gather loop when it loads (~20% faster than XNNPACK's on the ResNet
 * shapes, which also re-packs the weights each step since every update gives them a new id), or its
 * Winograd F(2x2, 3x3) where winogradFits (a further 1.2-1.6x), else stock.
 */
function conv2D(args: { inputs: Conv2DInputs; backend: BackendWasm; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
  const simd = simdKernelsFor(backend);
  const plain = dataFormat === 'NHWC' && backend_util.tupleValuesAreOne(dilations ?? 1) && x.dtype === 'float32' && filter.dtype === 'float32';
  if (simd != null && plain && x.shape.length === 4 && filter.shape.length === 4) {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const y = backend.makeOutput(info.outShape, 'float32');
    const geometry = geometryOf(info);
    if (winogradFits(geometry)) simd.conv3x3Winograd(x, filter, y, geometry, false);
    else simd.conv2dForward(x, filter, y, geometry);
    return y;
  }
  if (stockConv2D == null) throw new Error('wasm Conv2D: no stock kernel to fall back to');
  return stockConv2D.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/** The shipped Identity, kept for string tensors. */
let stockIdentity: KernelConfig | undefined;

/**
 * Identity that shares the input's memory (one more reference) instead of copying it. The engine
 * clones every tensor a gradient needs through Identity, and the stock kernel copied each saved
 * activation (~22 ms of a batch-64 ResNet-8 step). Sharing is safe because no kernel writes into its
 * inputs (the cpu backend's Identity shares too); Variable.assign swaps data ids rather than writing
 * in place.
 */
function identityShared(args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs: NamedAttrMap }): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') {
    if (stockIdentity == null) throw new Error('wasm Identity: no stock kernel for string tensors');
    return stockIdentity.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

const filterGradFunc = conv2DBackpropFilter as unknown as KernelFunc;
const inputGradFunc = conv2DBackpropInput as unknown as KernelFunc;
const identityFunc = identityShared as unknown as KernelFunc;
const conv2DFunc = conv2D as unknown as KernelFunc;

/**
 * Registers `config` for wasm unless that exact kernel function is already there; returns the kernel
 * it replaced (undefined if none, or if ours was already registered).
 */
function replaceKernel(config: KernelConfig): KernelConfig | undefined {
  const current = getKernel(config.kernelName, BACKEND);
  if (current?.kernelFunc === config.kernelFunc) return undefined;
  // unregister first: registerKernel only warns on duplicates, and we want ours to win quietly.
  if (current != null) unregisterKernel(config.kernelName, BACKEND);
  registerKernel(config);
  return current;
}

/**
 * Registers the wasm training kernels: Conv2DBackpropFilter (missing upstream), a faster
 * Conv2DBackpropInput and Conv2D (the stock ones stay reachable as fallbacks), the fused batch-norm
 * kernels, and a copy-free Identity. Idempotent. Safe before or after the wasm backend is
 * initialised, since the engine looks kernels up on every call.
 */
export function registerWasmTrainingKernels(): void {
  replaceKernel({ kernelName: Conv2DBackpropFilter, backendName: BACKEND, kernelFunc: filterGradFunc });
  const inputKernel = getKernel(Conv2DBackpropInput, BACKEND);
  if (inputKernel?.kernelFunc !== inputGradFunc) {
    stockInputGrad = inputKernel;
    replaceKernel({
      kernelName: Conv2DBackpropInput,
      backendName: BACKEND,
      kernelFunc: inputGradFunc,
      // The stock kernel binds its wasm function in setupFunc, which the engine calls only for
      // kernels registered when the backend initialises; carry it over so the fallback works.
      setupFunc: inputKernel?.setupFunc,
    });
  }
  const convKernel = getKernel(Conv2D, BACKEND);
  if (convKernel?.kernelFunc !== conv2DFunc) {
    stockConv2D = convKernel;
    replaceKernel({ kernelName: Conv2D, backendName: BACKEND, kernelFunc: conv2DFunc, setupFunc: convKernel?.setupFunc });
  }
  const replacedIdentity = replaceKernel({ kernelName: Identity, backendName: BACKEND, kernelFunc: identityFunc });
  if (replacedIdentity != null) stockIdentity = replacedIdentity;
  for (const config of WASM_BATCH_NORM_KERNELS) replaceKernel(config);
}
