// Hand-written WebAssembly SIMD kernels for training on the tfjs `wasm` backend (see ../wasmSimd.ts).
// They run inside tfjs's own wasm memory: every pointer is a byte offset into its heap, and the module
// has no data, no stack and no allocator of its own (scripts/buildWasmSimd.sh checks this).
//
// Why: tfjs's wasm backend has no conv filter gradient and a slow input gradient; rewritten as XNNPACK
// forward convs (../wasmKernels.ts) they reached 10-25 GFLOP/s and re-packed a whole activation as a
// "filter" on every call. These direct loops reach 36-45 GFLOP/s on the ResNet shapes, a little above
// XNNPACK's own forward conv (~35), with no layout copies: about the bound of 128-bit SIMD without fused
// multiply-add, where every 4 multiply-adds take a multiply and an add instruction. The batch-norm passes are memory-bound loops
// that 128-bit SIMD runs ~4x faster than the JS ones in ../wasmBatchNorm.ts.
// Measured (V8 11.3, x86-64, 1 thread): the gather loop's inner step compiles to 8 mulps + 8 addps on 8 XMM
// accumulators with 2 broadcasts and 4 loads, i.e. the FP ports are the limit and a larger register tile gains
// nothing. What does gain is doing fewer multiply-adds: 3x3 stride-1 convs (forward, input and filter gradient) go
// through Winograd F(2x2, 3x3) below, 2.25x fewer multiply-adds: 75-80 "direct-equivalent" GFLOP/s at 32 and 64
// channels, 55-60 at 16 (there the transforms and the 16-long reductions of the forward weigh more). Its ξ planes
// are padded by a cache line: 4 kB apart, they shared L1 sets, and the filter gradient at 16 channels ran at 27
// GFLOP/s, slower than the direct loop. Its forward products run in their own loop (wino_gemm), not through
// gather_pixels, whose per-call setup cost as much as the 16-long reductions at 16 channels (6.3 -> 5.0 ms a conv).
// Batch-64 ResNet-8 step (bench, interleaved, 3 runs each): direct 159-163 ms (393-405 img/s); Winograd forward and
// input gradient 139-143 ms; and filter gradient 130-134 ms (476-493 img/s); with wino_gemm, on a busier machine,
// 139-145 -> 135-136 ms (451 -> 473 img/s median).
// Tried and not kept: batch-norm sums walking 16 channels per pixel (4
// independent add chains instead of 1): the sums passes ran 1.3-2x faster alone, but the step only ~0.8 ms
// (0.5%) faster: in a step these passes wait on memory, not on add latency.
//
// Build: scripts/buildWasmSimd.sh (clang --target=wasm32 -msimd128), which regenerates trainingKernels.wasm.ts.
#include <wasm_simd128.h>

// ---------------------------------------------------------------------------------------------
// Conv2D filter gradient, channels last, dilation 1:
//   dw[kh][kw][ci][co] = Σ_{n, oh, ow} x[n][oh·sh + kh − pt][ow·sw + kw − pl][ci] · dy[n][oh][ow][co]
// (terms whose input pixel falls in the padding are zero and skipped).
//
// Register tile: 2 input channels × 4·NV output channels, NV = 1, 2 or 4 vectors, so at most 8
// accumulators; per pixel 2 broadcasts of x and NV loads of dy feed 4·NV multiply-adds. The tile walks
// a block of output rows (~ROW_BLOCK_PIXELS pixels) per tap, which keeps the rows it reads in L1.
// ---------------------------------------------------------------------------------------------

#define DEFINE_TILES(NV)                                                                                 \
  static void tile2_##NV(const float* xp0, const float* dyp0, float* out, int nrows, int xrow, int dyrow,  \
                         int npx, int xstep, int dystep, int co) {                                       \
    v128_t a0[NV], a1[NV];                                                                               \
    for (int v = 0; v < NV; v++) {                                                                       \
      a0[v] = wasm_v128_load(out + 4 * v);                                                               \
      a1[v] = wasm_v128_load(out + co + 4 * v);                                                          \
    }                                                                                                    \
    for (int r = 0; r < nrows; r++) {                                                                    \
      const float* xp = xp0 + r * xrow;                                                                  \
      const float* dyp = dyp0 + r * dyrow;                                                               \
      for (int p = 0; p < npx; p++, xp += xstep, dyp += dystep) {                                        \
        v128_t s0 = wasm_v128_load32_splat(xp);                                                          \
        v128_t s1 = wasm_v128_load32_splat(xp + 1);                                                      \
        for (int v = 0; v < NV; v++) {                                                                   \
          v128_t d = wasm_v128_load(dyp + 4 * v);                                                        \
          a0[v] = wasm_f32x4_add(a0[v], wasm_f32x4_mul(s0, d));                                          \
          a1[v] = wasm_f32x4_add(a1[v], wasm_f32x4_mul(s1, d));                                          \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
    for (int v = 0; v < NV; v++) {                                                                       \
      wasm_v128_store(out + 4 * v, a0[v]);                                                               \
      wasm_v128_store(out + co + 4 * v, a1[v]);                                                          \
    }                                                                                                    \
  }                                                                                                      \
  static void tile1_##NV(const float* xp0, const float* dyp0, float* out, int nrows, int xrow, int dyrow,  \
                         int npx, int xstep, int dystep) {                                               \
    v128_t a0[NV];                                                                                       \
    for (int v = 0; v < NV; v++) a0[v] = wasm_v128_load(out + 4 * v);                                    \
    for (int r = 0; r < nrows; r++) {                                                                    \
      const float* xp = xp0 + r * xrow;                                                                  \
      const float* dyp = dyp0 + r * dyrow;                                                               \
      for (int p = 0; p < npx; p++, xp += xstep, dyp += dystep) {                                        \
        v128_t s0 = wasm_v128_load32_splat(xp);                                                          \
        for (int v = 0; v < NV; v++) a0[v] = wasm_f32x4_add(a0[v], wasm_f32x4_mul(s0, wasm_v128_load(dyp + 4 * v))); \
      }                                                                                                  \
    }                                                                                                    \
    for (int v = 0; v < NV; v++) wasm_v128_store(out + 4 * v, a0[v]);                                    \
  }

DEFINE_TILES(1)
DEFINE_TILES(2)
DEFINE_TILES(4)

/** A rectangle of nrows × npx pixels of one tap, into o = dw[kh][kw]. */
static void accumulate_tap(const float* xs, const float* ds, float* o, int nrows, int xrow, int dyrow, int npx,
                           int xstep, int ci, int co) {
  int c0 = 0;
  for (; c0 + 4 <= co;) {
    int left = co - c0;
    int nv = left >= 16 ? 4 : left >= 8 ? 2 : 1;
    int c = 0;
    for (; c + 1 < ci; c += 2) {
      float* oc = o + c * co + c0;
      if (nv == 4) tile2_4(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co, co);
      else if (nv == 2) tile2_2(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co, co);
      else tile2_1(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co, co);
    }
    if (c < ci) {
      float* oc = o + c * co + c0;
      if (nv == 4) tile1_4(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co);
      else if (nv == 2) tile1_2(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co);
      else tile1_1(xs + c, ds + c0, oc, nrows, xrow, dyrow, npx, xstep, co);
    }
    c0 += 4 * nv;
  }
  for (; c0 < co; c0++) {
    for (int c = 0; c < ci; c++) {
      float acc = o[c * co + c0];
      for (int r = 0; r < nrows; r++) {
        const float* xp = xs + r * xrow + c;
        const float* dp = ds + r * dyrow + c0;
        for (int p = 0; p < npx; p++, xp += xstep, dp += co) acc += *xp * *dp;
      }
      o[c * co + c0] = acc;
    }
  }
}

/** Output rows per block: the block's rows of x and dy stay in L1 while every tap walks them. */
#define ROW_BLOCK_PIXELS 128

void conv2d_filter_grad(const float* x, const float* dy, float* dw, int batch, int in_h, int in_w, int in_c,
                        int out_h, int out_w, int out_c, int k_h, int k_w, int stride_h, int stride_w,
                        int pad_top, int pad_left) {
  int size = k_h * k_w * in_c * out_c;
  for (int i = 0; i < size; i++) dw[i] = 0;
  int rows_per_block = ROW_BLOCK_PIXELS / out_w;
  if (rows_per_block < 1) rows_per_block = 1;
  for (int n = 0; n < batch; n++) {
    for (int r0 = 0; r0 < out_h; r0 += rows_per_block) {
      int r1 = r0 + rows_per_block < out_h ? r0 + rows_per_block : out_h;
      for (int kh = 0; kh < k_h; kh++) {
        // Rows of the block whose input row 0 <= oh·sh + kh − pt < in_h.
        int first_row = r0;
        while (first_row < r1 && first_row * stride_h + kh - pad_top < 0) first_row++;
        int end_row = r1;
        while (end_row > first_row && (end_row - 1) * stride_h + kh - pad_top >= in_h) end_row--;
        if (end_row <= first_row) continue;
        int ih = first_row * stride_h + kh - pad_top;
        const float* x_row = x + ((n * in_h + ih) * in_w) * in_c;
        const float* dy_row = dy + ((n * out_h + first_row) * out_w) * out_c;
        for (int kw = 0; kw < k_w; kw++) {
          int first = 0;
          while (first < out_w && first * stride_w + kw - pad_left < 0) first++;
          int end = out_w;
          while (end > first && (end - 1) * stride_w + kw - pad_left >= in_w) end--;
          if (end <= first) continue;
          accumulate_tap(x_row + (first * stride_w + kw - pad_left) * in_c, dy_row + first * out_c,
                         dw + (kh * k_w + kw) * in_c * out_c, end_row - first_row, stride_h * in_w * in_c,
                         out_w * out_c, end - first, stride_w * in_c, in_c, out_c);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conv2D forward and input gradient as one "gather" loop. For each output pixel, its valid taps form a
// strided rectangle: nkh × nkw taps whose input element index advances by in_dkh / in_dkw and whose weight
// index by w_dkh / w_dkw; at each tap a vector of cin input values times a [cin][cout] weight block is
// added to the pixel's cout outputs:
//   out[p][o] = Σ_{a < nkh, b < nkw} Σ_{c < cin} in[i_p + a·in_dkh + b·in_dkw + c] · w[a·w_dkh + b·w_dkw + c·cout + o]
// Forward: in = x, w = W[kh][kw][ci][co]. Input gradient: in = dy, w = W transposed to [kh][kw][co][ci],
// and the taps of input pixel ih are kh ≡ ih + pad (mod stride), reading dy row (ih + pad − kh)/stride.
// Register tile: 2 pixels that share their taps × 4·NV outputs (≤ 8 accumulators).
// ---------------------------------------------------------------------------------------------

#define DEFINE_GATHER(NV)                                                                                \
  static void gather2_##NV(const float* in, int i0, int i1, int nkh, int in_dkh, int nkw, int in_dkw,     \
                           const float* w, int w_dkh, int w_dkw, int cin, int cout, float* o0, float* o1) { \
    v128_t a0[NV], a1[NV];                                                                               \
    for (int v = 0; v < NV; v++) a0[v] = a1[v] = wasm_f32x4_splat(0);                                    \
    for (int a = 0; a < nkh; a++) {                                                                      \
      for (int b = 0; b < nkw; b++) {                                                                    \
        const float* x0 = in + i0 + a * in_dkh + b * in_dkw;                                             \
        const float* x1 = in + i1 + a * in_dkh + b * in_dkw;                                             \
        const float* wp = w + a * w_dkh + b * w_dkw;                                                     \
        for (int c = 0; c < cin; c++, wp += cout) {                                                      \
          v128_t s0 = wasm_v128_load32_splat(x0 + c);                                                    \
          v128_t s1 = wasm_v128_load32_splat(x1 + c);                                                    \
          for (int v = 0; v < NV; v++) {                                                                 \
            v128_t wv = wasm_v128_load(wp + 4 * v);                                                      \
            a0[v] = wasm_f32x4_add(a0[v], wasm_f32x4_mul(s0, wv));                                       \
            a1[v] = wasm_f32x4_add(a1[v], wasm_f32x4_mul(s1, wv));                                       \
          }                                                                                              \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
    for (int v = 0; v < NV; v++) {                                                                       \
      wasm_v128_store(o0 + 4 * v, a0[v]);                                                                \
      wasm_v128_store(o1 + 4 * v, a1[v]);                                                                \
    }                                                                                                    \
  }                                                                                                      \
  /* One pixel: two accumulator sets over even and odd c keep 2·NV add chains in flight. */               \
  static void gather1_##NV(const float* in, int i0, int nkh, int in_dkh, int nkw, int in_dkw,             \
                           const float* w, int w_dkh, int w_dkw, int cin, int cout, float* o0) {          \
    v128_t a0[NV], b0[NV];                                                                               \
    for (int v = 0; v < NV; v++) a0[v] = b0[v] = wasm_f32x4_splat(0);                                    \
    for (int a = 0; a < nkh; a++) {                                                                      \
      for (int b = 0; b < nkw; b++) {                                                                    \
        const float* x0 = in + i0 + a * in_dkh + b * in_dkw;                                             \
        const float* wp = w + a * w_dkh + b * w_dkw;                                                     \
        int c = 0;                                                                                       \
        for (; c + 1 < cin; c += 2, wp += 2 * cout) {                                                    \
          v128_t s0 = wasm_v128_load32_splat(x0 + c);                                                    \
          v128_t s1 = wasm_v128_load32_splat(x0 + c + 1);                                                \
          for (int v = 0; v < NV; v++) {                                                                 \
            a0[v] = wasm_f32x4_add(a0[v], wasm_f32x4_mul(s0, wasm_v128_load(wp + 4 * v)));               \
            b0[v] = wasm_f32x4_add(b0[v], wasm_f32x4_mul(s1, wasm_v128_load(wp + cout + 4 * v)));        \
          }                                                                                              \
        }                                                                                                \
        if (c < cin) {                                                                                   \
          v128_t s0 = wasm_v128_load32_splat(x0 + c);                                                    \
          for (int v = 0; v < NV; v++) a0[v] = wasm_f32x4_add(a0[v], wasm_f32x4_mul(s0, wasm_v128_load(wp + 4 * v))); \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
    for (int v = 0; v < NV; v++) wasm_v128_store(o0 + 4 * v, wasm_f32x4_add(a0[v], b0[v]));              \
  }

DEFINE_GATHER(1)
DEFINE_GATHER(2)
DEFINE_GATHER(4)

/** All cout outputs of one pixel (pair = 0) or two pixels sharing their taps (pair = 1). */
static void gather_pixels(int pair, const float* in, int i0, int i1, int nkh, int in_dkh, int nkw, int in_dkw,
                          const float* w, int w_dkh, int w_dkw, int cin, int cout, float* o0, float* o1) {
  int o = 0;
  for (; o + 4 <= cout;) {
    int left = cout - o;
    int nv = left >= 16 ? 4 : left >= 8 ? 2 : 1;
    const float* wo = w + o;
    if (pair) {
      if (nv == 4) gather2_4(in, i0, i1, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o, o1 + o);
      else if (nv == 2) gather2_2(in, i0, i1, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o, o1 + o);
      else gather2_1(in, i0, i1, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o, o1 + o);
    } else {
      if (nv == 4) gather1_4(in, i0, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o);
      else if (nv == 2) gather1_2(in, i0, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o);
      else gather1_1(in, i0, nkh, in_dkh, nkw, in_dkw, wo, w_dkh, w_dkw, cin, cout, o0 + o);
    }
    o += 4 * nv;
  }
  // Outputs past the last multiple of 4, one scalar dot product per pixel each.
  for (; o < cout; o++) {
    for (int p = 0; p <= pair; p++) {
      int ip = p ? i1 : i0;
      float acc = 0;
      for (int a = 0; a < nkh; a++) {
        for (int b = 0; b < nkw; b++) {
          const float* xp = in + ip + a * in_dkh + b * in_dkw;
          const float* wp = w + a * w_dkh + b * w_dkw + o;
          for (int c = 0; c < cin; c++) acc += xp[c] * wp[c * cout];
        }
      }
      (p ? o1 : o0)[o] = acc;
    }
  }
}

/** Valid taps of forward output position q along one axis: k in [*k0, *k1), reading input q·s − pad + k. */
static void forward_taps(int q, int stride, int pad, int k_size, int in_size, int* k0, int* k1) {
  int i = q * stride - pad;
  *k0 = i < 0 ? -i : 0;
  *k1 = i + k_size > in_size ? in_size - i : k_size;
  if (*k1 < *k0) *k1 = *k0;
}

/** y[n][oh][ow][co] = Σ_{kh, kw, ci} x[n][oh·sh + kh − pt][ow·sw + kw − pl][ci] · w[kh][kw][ci][co] (zero padding). */
void conv2d_forward(const float* x, const float* w, float* y, int batch, int in_h, int in_w, int in_c, int out_h,
                    int out_w, int out_c, int k_h, int k_w, int stride_h, int stride_w, int pad_top, int pad_left) {
  int w_dkh = k_w * in_c * out_c, w_dkw = in_c * out_c;
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < out_h; oh++) {
      int kh0, kh1;
      forward_taps(oh, stride_h, pad_top, k_h, in_h, &kh0, &kh1);
      int ih = oh * stride_h - pad_top + kh0;
      float* y_row = y + (n * out_h + oh) * out_w * out_c;
      for (int ow = 0; ow < out_w;) {
        int kw0, kw1, next0, next1;
        forward_taps(ow, stride_w, pad_left, k_w, in_w, &kw0, &kw1);
        int pair = 0;
        if (ow + 1 < out_w) {
          forward_taps(ow + 1, stride_w, pad_left, k_w, in_w, &next0, &next1);
          pair = next0 == kw0 && next1 == kw1;
        }
        int i0 = ((n * in_h + ih) * in_w + ow * stride_w - pad_left + kw0) * in_c;
        // Along a filter row, the taps' inputs x[.., iw + kw, 0..in_c) and weights w[kh][kw][0..in_c)
        // are both contiguous over (kw, ci): one tap of (kw1 − kw0)·in_c channels instead of several.
        gather_pixels(pair, x, i0, i0 + stride_w * in_c, kh1 - kh0, in_w * in_c, 1, 0,
                      w + kh0 * w_dkh + kw0 * w_dkw, w_dkh, 0, (kw1 - kw0) * in_c, out_c, y_row + ow * out_c,
                      y_row + (ow + 1) * out_c);
        ow += 1 + pair;
      }
    }
  }
}

/**
 * Taps of input-gradient position i along one axis: k = *k0 + j·stride for j < *count, reading dy at
 * *q0 − j, where i + pad = q·stride + k with 0 <= q < out_size and 0 <= k < k_size.
 */
static void input_grad_taps(int i, int stride, int pad, int k_size, int out_size, int* k0, int* q0, int* count) {
  int t = i + pad;
  int k = t % stride;
  int q = t / stride;
  while (q >= out_size && k < k_size) {  // rows past the last dy row: step to the next tap
    k += stride;
    q -= 1;
  }
  int c = 0;
  if (k < k_size && q >= 0) {
    int by_k = (k_size - 1 - k) / stride + 1;  // taps left in the kernel
    c = by_k < q + 1 ? by_k : q + 1;           // and dy rows left above
  }
  *k0 = k;
  *q0 = q;
  *count = c;
}

/**
 * dx[n][ih][iw][ci] = Σ dy[n][oh][ow][co] · wt[kh][kw][co][ci] over ih = oh·sh + kh − pt, iw = ow·sw + kw − pl,
 * with wt the forward filter transposed to [kh][kw][co][ci]. Pairs input columns iw and iw + sw (same taps).
 */
void conv2d_input_grad(const float* dy, const float* wt, float* dx, int batch, int in_h, int in_w, int in_c,
                       int out_h, int out_w, int out_c, int k_h, int k_w, int stride_h, int stride_w, int pad_top,
                       int pad_left) {
  int w_dkh = stride_h * k_w * out_c * in_c, w_dkw = stride_w * out_c * in_c;
  int in_dkh = -out_w * out_c, in_dkw = -out_c;
  for (int n = 0; n < batch; n++) {
    for (int ih = 0; ih < in_h; ih++) {
      int kh0, oh0, nkh;
      input_grad_taps(ih, stride_h, pad_top, k_h, out_h, &kh0, &oh0, &nkh);
      float* dx_row = dx + (n * in_h + ih) * in_w * in_c;
      for (int phase = 0; phase < stride_w && phase < in_w; phase++) {
        for (int iw = phase; iw < in_w;) {
          int kw0, ow0, nkw, kw1, ow1, nkw1;
          input_grad_taps(iw, stride_w, pad_left, k_w, out_w, &kw0, &ow0, &nkw);
          int pair = 0;
          if (iw + stride_w < in_w) {
            input_grad_taps(iw + stride_w, stride_w, pad_left, k_w, out_w, &kw1, &ow1, &nkw1);
            pair = kw1 == kw0 && nkw1 == nkw && ow1 == ow0 + 1;
          }
          int taps = nkh > 0 && nkw > 0;
          int i0 = taps ? ((n * out_h + oh0) * out_w + ow0) * out_c : 0;
          gather_pixels(pair, dy, i0, i0 + out_c, taps ? nkh : 0, in_dkh, nkw, in_dkw,
                        wt + (taps ? kh0 * k_w * out_c * in_c + kw0 * out_c * in_c : 0), w_dkh, w_dkw, out_c, in_c,
                        dx_row + iw * in_c, dx_row + (iw + stride_w) * in_c);
          iw += stride_w * (1 + pair);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 3×3 stride-1 "same" convolution by Winograd F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016): each 2×2 block of outputs (a tile) is
//   Y = Aᵀ [ Σ_ci (G g Gᵀ)[ci] ⊙ (Bᵀ d B)[ci] ] A
// over the tile's 4×4 input patch d, with g the 3×3 filter of one (ci, co). The 16 element-wise
// products summed over ci are 16 small matrix products (one per position ξ of the 4×4 transform),
// run by gather_pixels: 16 multiply-adds per tile and (ci, co) instead of 36. The transforms are
// adds (and the filter's halves), which round differently from the direct sum: results agree with it
// to float rounding, a few ulps of the magnitudes summed.
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
// Tiles are processed a block of tile rows at a time (≥ WINO_TILES tiles, one image), so the block's
// transformed inputs V[16][tiles][cin] and products M[16][tiles][cout] stay in L1/L2.
// ---------------------------------------------------------------------------------------------

#define WINO_TILES 16

/**
 * Floats between the ξ planes of a block's transformed tiles: one cache line more than the data, since planes a
 * multiple of 4 kB apart would all fall in the same L1 sets (16 planes, 12 ways) and evict each other.
 */
static int wino_plane(int tiles, int channels) { return tiles * channels + 16; }

/** Scratch floats conv3x3_winograd needs for width `in_w` (even), cin and cout: U, then V and M of a block. */
int conv3x3_winograd_scratch(int in_h, int in_w, int cin, int cout) {
  int row_tiles = in_w / 2;
  int rows = row_tiles >= WINO_TILES ? 1 : (WINO_TILES + row_tiles - 1) / row_tiles;
  if (rows > in_h / 2) rows = in_h / 2;
  int tiles = rows * row_tiles;
  return 16 * cin * cout + 16 * (wino_plane(tiles, cin) + wino_plane(tiles, cout));
}

/** u[16][cin][cout] = G g Gᵀ for g[kh][kw] = w[tap(kh, kw)·cin·cout + ci·ci_stride + co·co_stride]. */
static void winograd_filter(const float* w, float* u, int cin, int cout, int ci_stride, int co_stride, int flip) {
  for (int ci = 0; ci < cin; ci++) {
    for (int co = 0; co < cout; co++) {
      float g[3][3], t[4][3];
      for (int kh = 0; kh < 3; kh++)
        for (int kw = 0; kw < 3; kw++) {
          int tap = flip ? (2 - kh) * 3 + (2 - kw) : kh * 3 + kw;
          g[kh][kw] = w[tap * cin * cout + ci * ci_stride + co * co_stride];
        }
      for (int j = 0; j < 3; j++) {
        t[0][j] = g[0][j];
        t[1][j] = 0.5f * (g[0][j] + g[1][j] + g[2][j]);
        t[2][j] = 0.5f * (g[0][j] - g[1][j] + g[2][j]);
        t[3][j] = g[2][j];
      }
      for (int i = 0; i < 4; i++) {
        float* ui = u + (i * 4) * cin * cout + ci * cout + co;
        int xi = cin * cout;
        ui[0] = t[i][0];
        ui[xi] = 0.5f * (t[i][0] + t[i][1] + t[i][2]);
        ui[2 * xi] = 0.5f * (t[i][0] - t[i][1] + t[i][2]);
        ui[3 * xi] = t[i][2];
      }
    }
  }
}

/**
 * Input transform of `tiles` tiles of image n from tile row th0 (row_tiles tiles a row): v[ξ][t][ci] =
 * (Bᵀ d B)[ξ] of tile t's 4×4 patch d (zero outside x), 4 channels at a time; v's ξ planes are `plane` floats apart.
 */
static void winograd_inputs(const float* x, int n, int in_h, int in_w, int cin, int th0, int tiles, int row_tiles,
                            float* v, int plane) {
  v128_t zero = wasm_f32x4_splat(0);
  for (int t = 0; t < tiles; t++) {
    int ih0 = 2 * (th0 + t / row_tiles) - 1, iw0 = 2 * (t % row_tiles) - 1;
    int inside = ih0 >= 0 && ih0 + 4 <= in_h && iw0 >= 0 && iw0 + 4 <= in_w;
    for (int c = 0; c < cin; c += 4) {
      v128_t d[4][4];
      const float* x00 = x + ((n * in_h + ih0) * in_w + iw0) * cin + c;  // patch corner (maybe outside)
      if (inside) {
        for (int i = 0; i < 4; i++)
          for (int j = 0; j < 4; j++) d[i][j] = wasm_v128_load(x00 + (i * in_w + j) * cin);
      } else {
        for (int i = 0; i < 4; i++) {
          int ih = ih0 + i;
          for (int j = 0; j < 4; j++) {
            int iw = iw0 + j;
            d[i][j] = ih >= 0 && ih < in_h && iw >= 0 && iw < in_w ? wasm_v128_load(x00 + (i * in_w + j) * cin) : zero;
          }
        }
      }
      for (int j = 0; j < 4; j++) {
        v128_t d0 = d[0][j], d1 = d[1][j], d2 = d[2][j], d3 = d[3][j];
        d[0][j] = wasm_f32x4_sub(d0, d2);
        d[1][j] = wasm_f32x4_add(d1, d2);
        d[2][j] = wasm_f32x4_sub(d2, d1);
        d[3][j] = wasm_f32x4_sub(d1, d3);
      }
      float* vt = v + t * cin + c;
      int xi = plane;
      for (int i = 0; i < 4; i++) {
        v128_t t0 = d[i][0], t1 = d[i][1], t2 = d[i][2], t3 = d[i][3];
        wasm_v128_store(vt + (4 * i + 0) * xi, wasm_f32x4_sub(t0, t2));
        wasm_v128_store(vt + (4 * i + 1) * xi, wasm_f32x4_add(t1, t2));
        wasm_v128_store(vt + (4 * i + 2) * xi, wasm_f32x4_sub(t2, t1));
        wasm_v128_store(vt + (4 * i + 3) * xi, wasm_f32x4_sub(t1, t3));
      }
    }
  }
}

/**
 * m[t][0..4·NV) = Σ_c v[t][c] · u[c][0..4·NV) for t < tiles (rows of v cin apart, of u and m cout apart): the
 * products of one ξ, two tiles at a time. The gather loop would do the same, but at cin = 16 its per-call setup
 * (a call per tile pair and ξ) took as long as the 16 multiply-adds it led to.
 */
#define DEFINE_WINO_GEMM(NV)                                                                             \
  static void wino_gemm_##NV(const float* v, const float* u, float* m, int tiles, int cin, int cout) {   \
    int t = 0;                                                                                           \
    for (; t + 1 < tiles; t += 2) {                                                                      \
      v128_t a0[NV], a1[NV];                                                                             \
      for (int k = 0; k < NV; k++) a0[k] = a1[k] = wasm_f32x4_splat(0);                                  \
      const float* x0 = v + t * cin;                                                                     \
      const float* wp = u;                                                                               \
      for (int c = 0; c < cin; c++, wp += cout) {                                                        \
        v128_t s0 = wasm_v128_load32_splat(x0 + c);                                                      \
        v128_t s1 = wasm_v128_load32_splat(x0 + cin + c);                                                \
        for (int k = 0; k < NV; k++) {                                                                   \
          v128_t wv = wasm_v128_load(wp + 4 * k);                                                        \
          a0[k] = wasm_f32x4_add(a0[k], wasm_f32x4_mul(s0, wv));                                         \
          a1[k] = wasm_f32x4_add(a1[k], wasm_f32x4_mul(s1, wv));                                         \
        }                                                                                                \
      }                                                                                                  \
      for (int k = 0; k < NV; k++) {                                                                     \
        wasm_v128_store(m + t * cout + 4 * k, a0[k]);                                                    \
        wasm_v128_store(m + (t + 1) * cout + 4 * k, a1[k]);                                              \
      }                                                                                                  \
    }                                                                                                    \
    if (t < tiles) {                                                                                     \
      v128_t a0[NV];                                                                                     \
      for (int k = 0; k < NV; k++) a0[k] = wasm_f32x4_splat(0);                                          \
      const float* wp = u;                                                                               \
      for (int c = 0; c < cin; c++, wp += cout) {                                                        \
        v128_t s0 = wasm_v128_load32_splat(v + t * cin + c);                                             \
        for (int k = 0; k < NV; k++) a0[k] = wasm_f32x4_add(a0[k], wasm_f32x4_mul(s0, wasm_v128_load(wp + 4 * k))); \
      }                                                                                                  \
      for (int k = 0; k < NV; k++) wasm_v128_store(m + t * cout + 4 * k, a0[k]);                         \
    }                                                                                                    \
  }

DEFINE_WINO_GEMM(1)
DEFINE_WINO_GEMM(2)
DEFINE_WINO_GEMM(4)

/**
 * y[n][oh][ow][co] = Σ_{kh, kw, ci} x[n][oh + kh − 1][ow + kw − 1][ci] · g[kh][kw][ci][co] (zero padding), with
 * in_h, in_w even, cin and cout multiples of 4, and the filter read as in winograd_filter: forward, w[kh][kw][ci][co]
 * (ci_stride = cout, co_stride = 1, flip = 0); input gradient, the forward filter w[kh][kw][co'][ci'] with
 * ci_stride = 1, co_stride = cin, flip = 1 (x = dy, y = dx). scratch: conv3x3_winograd_scratch floats.
 */
void conv3x3_winograd(const float* x, const float* w, float* y, float* scratch, int batch, int in_h, int in_w, int cin,
                      int cout, int ci_stride, int co_stride, int flip) {
  int row_tiles = in_w / 2;
  int rows = row_tiles >= WINO_TILES ? 1 : (WINO_TILES + row_tiles - 1) / row_tiles;
  if (rows > in_h / 2) rows = in_h / 2;
  int max_tiles = rows * row_tiles;
  float* u = scratch;
  int vplane = wino_plane(max_tiles, cin), mplane = wino_plane(max_tiles, cout);
  float* v = u + 16 * cin * cout;
  float* m = v + 16 * vplane;
  winograd_filter(w, u, cin, cout, ci_stride, co_stride, flip);
  for (int n = 0; n < batch; n++) {
    for (int th0 = 0; th0 < in_h / 2; th0 += rows) {
      int th1 = th0 + rows < in_h / 2 ? th0 + rows : in_h / 2;
      int tiles = (th1 - th0) * row_tiles;
      winograd_inputs(x, n, in_h, in_w, cin, th0, tiles, row_tiles, v, vplane);
      // M[ξ][t][co] = Σ_ci V[ξ][t][ci] · U[ξ][ci][co], two tiles × 4·NV outputs at a time.
      for (int xi = 0; xi < 16; xi++) {
        const float* vx = v + xi * vplane;
        const float* ux = u + xi * cin * cout;
        float* mx = m + xi * mplane;
        for (int o = 0; o < cout;) {
          int left = cout - o;
          if (left >= 16) wino_gemm_4(vx, ux + o, mx + o, tiles, cin, cout), o += 16;
          else if (left >= 8) wino_gemm_2(vx, ux + o, mx + o, tiles, cin, cout), o += 8;
          else wino_gemm_1(vx, ux + o, mx + o, tiles, cin, cout), o += 4;
        }
      }
      // Output transform: the tile's 2×2 outputs Aᵀ M A.
      for (int t = 0; t < tiles; t++) {
        int oh = 2 * (th0 + t / row_tiles), ow = 2 * (t % row_tiles);
        float* y00 = y + ((n * in_h + oh) * in_w + ow) * cout;
        float* y10 = y00 + in_w * cout;
        const float* mt = m + t * cout;
        int xi = mplane;
        int o = 0;
        for (; o + 4 <= cout; o += 4) {
          v128_t r0[4], r1[4];
          for (int j = 0; j < 4; j++) {
            v128_t m0 = wasm_v128_load(mt + (0 + j) * xi + o), m1 = wasm_v128_load(mt + (4 + j) * xi + o);
            v128_t m2 = wasm_v128_load(mt + (8 + j) * xi + o), m3 = wasm_v128_load(mt + (12 + j) * xi + o);
            r0[j] = wasm_f32x4_add(wasm_f32x4_add(m0, m1), m2);
            r1[j] = wasm_f32x4_sub(wasm_f32x4_sub(m1, m2), m3);
          }
          wasm_v128_store(y00 + o, wasm_f32x4_add(wasm_f32x4_add(r0[0], r0[1]), r0[2]));
          wasm_v128_store(y00 + cout + o, wasm_f32x4_sub(wasm_f32x4_sub(r0[1], r0[2]), r0[3]));
          wasm_v128_store(y10 + o, wasm_f32x4_add(wasm_f32x4_add(r1[0], r1[1]), r1[2]));
          wasm_v128_store(y10 + cout + o, wasm_f32x4_sub(wasm_f32x4_sub(r1[1], r1[2]), r1[3]));
        }
        for (; o < cout; o++) {
          float r0[4], r1[4];
          for (int j = 0; j < 4; j++) {
            float m0 = mt[j * xi + o], m1 = mt[(4 + j) * xi + o], m2 = mt[(8 + j) * xi + o], m3 = mt[(12 + j) * xi + o];
            r0[j] = m0 + m1 + m2;
            r1[j] = m1 - m2 - m3;
          }
          y00[o] = r0[0] + r0[1] + r0[2];
          y00[cout + o] = r0[1] - r0[2] - r0[3];
          y10[o] = r1[0] + r1[1] + r1[2];
          y10[cout + o] = r1[1] - r1[2] - r1[3];
        }
      }
    }
  }
}

// The filter gradient of the same conv by the same transforms. y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A is linear in g, so
// for a loss with gradient dy on a tile's 2×2 outputs,
//   dg = Gᵀ [ (A dy Aᵀ) ⊙ (Bᵀ d B) ] G,   summed over the tiles of every image:
// S[ξ][ci][co] = Σ_t V[ξ][t][ci] · D[ξ][t][co] (D = A dy Aᵀ) are 16 long reductions over tiles, run by
// accumulate_tap, and dw = Gᵀ S G at the end. Blocks of ≥ WINO_DW_TILES tiles: the reductions' length.
#define WINO_DW_TILES 64

static int winograd_dw_rows(int in_h, int in_w) {
  int row_tiles = in_w / 2;
  int rows = row_tiles >= WINO_DW_TILES ? 1 : (WINO_DW_TILES + row_tiles - 1) / row_tiles;
  return rows > in_h / 2 ? in_h / 2 : rows;
}

/** Scratch floats conv3x3_winograd_filter_grad needs: S, then V and D of a block. */
int conv3x3_winograd_filter_grad_scratch(int in_h, int in_w, int cin, int cout) {
  int tiles = winograd_dw_rows(in_h, in_w) * (in_w / 2);
  return 16 * cin * cout + 16 * (wino_plane(tiles, cin) + wino_plane(tiles, cout));
}

/**
 * dw[kh][kw][ci][co] = Σ_{n, oh, ow} x[n][oh + kh − 1][ow + kw − 1][ci] · dy[n][oh][ow][co] (zero padding), for
 * what conv3x3_winograd computes forward: in_h, in_w even, cin a multiple of 4; dy is [batch][in_h][in_w][cout].
 */
void conv3x3_winograd_filter_grad(const float* x, const float* dy, float* dw, float* scratch, int batch, int in_h,
                                  int in_w, int cin, int cout) {
  int row_tiles = in_w / 2;
  int rows = winograd_dw_rows(in_h, in_w);
  int max_tiles = rows * row_tiles;
  float* sums = scratch;
  int vplane = wino_plane(max_tiles, cin), dplane = wino_plane(max_tiles, cout);
  float* v = sums + 16 * cin * cout;
  float* dt = v + 16 * vplane;
  for (int i = 0; i < 16 * cin * cout; i++) sums[i] = 0;
  for (int n = 0; n < batch; n++) {
    for (int th0 = 0; th0 < in_h / 2; th0 += rows) {
      int th1 = th0 + rows < in_h / 2 ? th0 + rows : in_h / 2;
      int tiles = (th1 - th0) * row_tiles;
      winograd_inputs(x, n, in_h, in_w, cin, th0, tiles, row_tiles, v, vplane);
      // D[ξ][t][co] = (A dy Aᵀ)[ξ], A = [1 0; 1 1; 1 −1; 0 −1].
      for (int t = 0; t < tiles; t++) {
        int oh = 2 * (th0 + t / row_tiles), ow = 2 * (t % row_tiles);
        const float* d00 = dy + ((n * in_h + oh) * in_w + ow) * cout;
        const float* d10 = d00 + in_w * cout;
        float* dtt = dt + t * cout;
        int xi = dplane;
        int o = 0;
        for (; o + 4 <= cout; o += 4) {
          v128_t a = wasm_v128_load(d00 + o), b = wasm_v128_load(d00 + cout + o);
          v128_t c = wasm_v128_load(d10 + o), d = wasm_v128_load(d10 + cout + o);
          // rows of A dy: [a b], [a+c b+d], [a−c b−d], [−c −d]; then each row r = [p q] → [p, p+q, p−q, −q].
          v128_t p[4] = {a, wasm_f32x4_add(a, c), wasm_f32x4_sub(a, c), wasm_f32x4_neg(c)};
          v128_t q[4] = {b, wasm_f32x4_add(b, d), wasm_f32x4_sub(b, d), wasm_f32x4_neg(d)};
          for (int i = 0; i < 4; i++) {
            wasm_v128_store(dtt + (4 * i + 0) * xi + o, p[i]);
            wasm_v128_store(dtt + (4 * i + 1) * xi + o, wasm_f32x4_add(p[i], q[i]));
            wasm_v128_store(dtt + (4 * i + 2) * xi + o, wasm_f32x4_sub(p[i], q[i]));
            wasm_v128_store(dtt + (4 * i + 3) * xi + o, wasm_f32x4_neg(q[i]));
          }
        }
        for (; o < cout; o++) {
          float a = d00[o], b = d00[cout + o], c = d10[o], d = d10[cout + o];
          float p[4] = {a, a + c, a - c, -c}, q[4] = {b, b + d, b - d, -d};
          for (int i = 0; i < 4; i++) {
            dtt[(4 * i + 0) * xi + o] = p[i];
            dtt[(4 * i + 1) * xi + o] = p[i] + q[i];
            dtt[(4 * i + 2) * xi + o] = p[i] - q[i];
            dtt[(4 * i + 3) * xi + o] = -q[i];
          }
        }
      }
      for (int xi = 0; xi < 16; xi++)
        accumulate_tap(v + xi * vplane, dt + xi * dplane, sums + xi * cin * cout, 1, 0, 0, tiles,
                       cin, cin, cout);
    }
  }
  // dw = Gᵀ S G per (ci, co), G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
  int plane = cin * cout;
  for (int k = 0; k < plane; k++) {
    float sm[4][4], t[3][4];
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) sm[i][j] = sums[(4 * i + j) * plane + k];
    for (int j = 0; j < 4; j++) {
      t[0][j] = sm[0][j] + 0.5f * (sm[1][j] + sm[2][j]);
      t[1][j] = 0.5f * (sm[1][j] - sm[2][j]);
      t[2][j] = 0.5f * (sm[1][j] + sm[2][j]) + sm[3][j];
    }
    for (int kh = 0; kh < 3; kh++) {
      dw[(kh * 3 + 0) * plane + k] = t[kh][0] + 0.5f * (t[kh][1] + t[kh][2]);
      dw[(kh * 3 + 1) * plane + k] = 0.5f * (t[kh][1] - t[kh][2]);
      dw[(kh * 3 + 2) * plane + k] = 0.5f * (t[kh][1] + t[kh][2]) + t[kh][3];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Batch-norm passes over channels-last data seen as [pixels][channels]. Sums run in float32 over
// blocks of BLOCK pixels (channel by channel, the block stays in L1) and are added up in float64.
// ---------------------------------------------------------------------------------------------

#define BLOCK 256

static void add_lanes(double* dst, v128_t v) {
  dst[0] += wasm_f32x4_extract_lane(v, 0);
  dst[1] += wasm_f32x4_extract_lane(v, 1);
  dst[2] += wasm_f32x4_extract_lane(v, 2);
  dst[3] += wasm_f32x4_extract_lane(v, 3);
}

/** sum[c] = Σ_p (x[p][c] − shift[c]);  sum_sq[c] = Σ_p (x[p][c] − shift[c])². */
void bn_sums(const float* x, int pixels, int channels, const float* shift, double* sum, double* sum_sq) {
  int vec = channels & ~3;
  for (int c = 0; c < channels; c++) sum[c] = sum_sq[c] = 0;
  for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
    int p1 = p0 + BLOCK < pixels ? p0 + BLOCK : pixels;
    for (int c = 0; c < vec; c += 4) {
      v128_t k = wasm_v128_load(shift + c);
      v128_t s = wasm_f32x4_splat(0);
      v128_t q = s;
      const float* px = x + p0 * channels + c;
      for (int p = p0; p < p1; p++, px += channels) {
        v128_t d = wasm_f32x4_sub(wasm_v128_load(px), k);
        s = wasm_f32x4_add(s, d);
        q = wasm_f32x4_add(q, wasm_f32x4_mul(d, d));
      }
      add_lanes(sum + c, s);
      add_lanes(sum_sq + c, q);
    }
    for (int c = vec; c < channels; c++) {
      float s = 0, q = 0;
      for (int p = p0; p < p1; p++) {
        float d = x[p * channels + c] - shift[c];
        s += d;
        q += d * d;
      }
      sum[c] += s;
      sum_sq[c] += q;
    }
  }
}

/** y = (x − mean)·scale + offset (+ r) per channel, then max(y, 0) if relu. Inlined with constant flags. */
static inline void normalize_loops(const float* x, const float* r, float* y, int pixels, int channels, const float* mean,
                                   const float* scale, const float* offset, int with_residual, int relu) {
  int vec = channels & ~3;
  v128_t zero = wasm_f32x4_splat(0);
  for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
    int p1 = p0 + BLOCK < pixels ? p0 + BLOCK : pixels;
    for (int c = 0; c < vec; c += 4) {
      v128_t m = wasm_v128_load(mean + c), a = wasm_v128_load(scale + c), b = wasm_v128_load(offset + c);
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + i), m), a), b);
        if (with_residual) v = wasm_f32x4_add(v, wasm_v128_load(r + i));
        if (relu) v = wasm_f32x4_max(v, zero);
        wasm_v128_store(y + i, v);
      }
    }
    for (int c = vec; c < channels; c++) {
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        float v = (x[i] - mean[c]) * scale[c] + offset[c];
        if (with_residual) v += r[i];
        if (relu && !(v > 0)) v = 0;
        y[i] = v;
      }
    }
  }
}

/** y[p][c] = act((x[p][c] − mean[c]) · scale[c] + offset[c] + r[p][c]); r = 0 (null) for none, act = ReLU if relu. */
void bn_normalize(const float* x, const float* r, float* y, int pixels, int channels, const float* mean,
                  const float* scale, const float* offset, int relu) {
  if (r && relu) normalize_loops(x, r, y, pixels, channels, mean, scale, offset, 1, 1);
  else if (r) normalize_loops(x, r, y, pixels, channels, mean, scale, offset, 1, 0);
  else if (relu) normalize_loops(x, 0, y, pixels, channels, mean, scale, offset, 0, 1);
  else normalize_loops(x, 0, y, pixels, channels, mean, scale, offset, 0, 0);
}

/** The gradient reaching the normalised value: dy, or dy where the ReLU's output y was positive. */
static inline v128_t masked(v128_t dy, const float* y, int i, int relu) {
  return relu ? wasm_v128_and(dy, wasm_f32x4_gt(wasm_v128_load(y + i), wasm_f32x4_splat(0))) : dy;
}

static inline void grad_sums_loops(const float* dy, const float* y, const float* x, int pixels, int channels,
                                   const float* mean, double* sum_dy, double* sum_dy_xc, int relu) {
  int vec = channels & ~3;
  for (int c = 0; c < channels; c++) sum_dy[c] = sum_dy_xc[c] = 0;
  for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
    int p1 = p0 + BLOCK < pixels ? p0 + BLOCK : pixels;
    for (int c = 0; c < vec; c += 4) {
      v128_t m = wasm_v128_load(mean + c);
      v128_t s = wasm_f32x4_splat(0);
      v128_t t = s;
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        v128_t g = masked(wasm_v128_load(dy + i), y, i, relu);
        s = wasm_f32x4_add(s, g);
        t = wasm_f32x4_add(t, wasm_f32x4_mul(g, wasm_f32x4_sub(wasm_v128_load(x + i), m)));
      }
      add_lanes(sum_dy + c, s);
      add_lanes(sum_dy_xc + c, t);
    }
    for (int c = vec; c < channels; c++) {
      float s = 0, t = 0;
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        float g = relu && !(y[i] > 0) ? 0 : dy[i];
        s += g;
        t += g * (x[i] - mean[c]);
      }
      sum_dy[c] += s;
      sum_dy_xc[c] += t;
    }
  }
}

/**
 * With g = dy, or dy·[y > 0] when y is given (the layer ended in a ReLU):
 * sum_dy[c] = Σ_p g[p][c];  sum_dy_xc[c] = Σ_p g[p][c] · (x[p][c] − mean[c]).
 */
void bn_grad_sums(const float* dy, const float* y, const float* x, int pixels, int channels, const float* mean,
                  double* sum_dy, double* sum_dy_xc) {
  if (y) grad_sums_loops(dy, y, x, pixels, channels, mean, sum_dy, sum_dy_xc, 1);
  else grad_sums_loops(dy, 0, x, pixels, channels, mean, sum_dy, sum_dy_xc, 0);
}

static inline void grad_input_loops(const float* dy, const float* y, const float* x, float* dx, float* g_out,
                                    int pixels, int channels, const float* mean, const float* k1, const float* k2,
                                    const float* k3, int relu, int write_g) {
  int vec = channels & ~3;
  for (int p0 = 0; p0 < pixels; p0 += BLOCK) {
    int p1 = p0 + BLOCK < pixels ? p0 + BLOCK : pixels;
    for (int c = 0; c < vec; c += 4) {
      v128_t m = wasm_v128_load(mean + c);
      v128_t a = wasm_v128_load(k1 + c), b = wasm_v128_load(k2 + c), d = wasm_v128_load(k3 + c);
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        v128_t g = masked(wasm_v128_load(dy + i), y, i, relu);
        if (write_g) wasm_v128_store(g_out + i, g);
        v128_t centred = wasm_f32x4_sub(wasm_v128_load(x + i), m);
        v128_t v = wasm_f32x4_add(wasm_f32x4_mul(g, a), wasm_f32x4_mul(centred, b));
        wasm_v128_store(dx + i, wasm_f32x4_add(v, d));
      }
    }
    for (int c = vec; c < channels; c++) {
      for (int p = p0; p < p1; p++) {
        int i = p * channels + c;
        float g = relu && !(y[i] > 0) ? 0 : dy[i];
        if (write_g) g_out[i] = g;
        dx[i] = k1[c] * g + k2[c] * (x[i] - mean[c]) + k3[c];
      }
    }
  }
}

/**
 * dx[p][c] = k1[c] · g[p][c] + k2[c] · (x[p][c] − mean[c]) + k3[c], g as in bn_grad_sums; g is also
 * written to g_out unless it is null (the gradient of a residual added before the ReLU).
 */
void bn_grad_input(const float* dy, const float* y, const float* x, float* dx, float* g_out, int pixels, int channels,
                   const float* mean, const float* k1, const float* k2, const float* k3) {
  if (y && g_out) grad_input_loops(dy, y, x, dx, g_out, pixels, channels, mean, k1, k2, k3, 1, 1);
  else if (y) grad_input_loops(dy, y, x, dx, 0, pixels, channels, mean, k1, k2, k3, 1, 0);
  else grad_input_loops(dy, 0, x, dx, 0, pixels, channels, mean, k1, k2, k3, 0, 0);
}
