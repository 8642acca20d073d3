// Choosing the tfjs backend inside the training worker: WebGPU, then WebGL, then WASM (with our training
// kernels). Describes the WebGPU adapter, spots software renderers, and on one measures every backend once
// and keeps the fastest. Only training-capable backends are offered: the stock cpu backend is never chosen.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../core/backends/wasmKernels';
import { isSharedMemory, SIMD_FLAG, simdKernelsFor, wasmMemoryOf } from '../core/backends/wasmSimd';
import type { AdapterInfo, BackendChoice, BackendMeasurement, BackendName, MemorySnapshot, WasmOptions } from './protocol';

/** Preference order of 'auto', and the order fallbacks walk. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];

/** The parts of the WebGPU API used here (the DOM typings of TypeScript 5.9 do not include WebGPU). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  /** Older Chrome put the flag on the adapter itself. */
  isFallbackAdapter?: boolean;
}
interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
}

/** A backend that is now tfjs's active one. */
export interface ActiveBackend {
  name: BackendName;
  adapter?: AdapterInfo;
  /** A software renderer (SwiftShader, llvmpipe, a fallback adapter): worth measuring the alternatives. */
  software: boolean;
  /** WebGPU only: settles with a readable reason if the device is lost (not when tfjs destroys it on purpose). */
  lost?: Promise<string>;
}

// Vite emits the three binaries as assets; tfjs picks one by SIMD and thread support at init.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});
// Before the wasm backend initialises, so our kernels (and the stock kernel's setupFunc we keep) exist then.
registerWasmTrainingKernels();

/**
 * The wasm build the worker uses unless an init asks otherwise: our kernels, in tfjs's threaded build where the page
 * allows it and tfjs would give that build 2 threads or more (it takes half the logical cores), else in its
 * single-threaded build. Timed in headless Chromium on 2 logical cores (tests/e2e/bench.spec.ts): our kernels train
 * ~1.5-2x faster than the stock routes; the threaded build, which gets 1 thread there, was no faster than the
 * single-threaded one (a little slower at batch 64), so it is only used where it has threads to offer.
 */
export const DEFAULT_WASM_OPTIONS: WasmOptions = { ourKernels: true };

/** The options in force (threads unset: decided by the machine); the build is fixed once the wasm backend has started. */
let wasmOptions: WasmOptions = { ...DEFAULT_WASM_OPTIONS };
/** Whether tfjs found wasm threads usable here, read before the first override. */
let threadSupport: boolean | undefined;

/** tfjs's threaded build runs XNNPACK on half the logical cores: below 4 that is one thread, no gain. */
const threadsWorthIt = () => (self.navigator?.hardwareConcurrency ?? 1) >= 4;

/**
 * Apply `options` (what they omit stays as it is, the defaults at first) to the wasm backend; the worker calls this
 * on every session. Before the backend starts they choose tfjs's threaded or single-threaded build; our kernels
 * can be turned on or off at any time.
 * @throws Error when they ask for another build than the one already running.
 */
export async function configureWasm(options: WasmOptions = {}): Promise<void> {
  const next = { ...wasmOptions, ...options };
  threadSupport ??= (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  const threaded = (next.threads ?? threadsWorthIt()) && threadSupport;
  if (started.has('wasm')) {
    const running = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
    if (threaded !== running) throw new Error(`the wasm backend already runs the ${running ? 'threaded' : 'single-threaded'} build; reload the page to change it`);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
  tf.env().set(SIMD_FLAG, next.ourKernels ?? true);
  wasmOptions = next;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** Backends that failed in this worker (initialisation, training or a lost device); never tried again. */
const broken = new Map<BackendName, string>();

/** Backends initialised in this worker, as first described; later activations only switch to them. */
const started = new Map<BackendName, ActiveBackend>();

/** Mark a backend unusable for the rest of this worker's life, with the reason. */
export function markBroken(name: BackendName, reason: string): void {
  broken.set(name, reason);
  started.delete(name);
}

/** The candidates for a choice, in the order to try them: the one asked for first, then the rest. */
export function listCandidates(choice: BackendChoice): BackendName[] {
  const order = choice === 'auto' ? [...BACKEND_ORDER] : [choice, ...BACKEND_ORDER.filter((b) => b !== choice)];
  return order.filter((b) => !broken.has(b));
}

function describeAdapter(adapter: GpuAdapterLike): AdapterInfo {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const software = fallback || SOFTWARE_RENDERER.test(`${architecture} ${info.description ?? ''}`);
  const label = [vendor, architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return { vendor, architecture, description: info.description ?? '', software, label: fallback ? `${label} (fallback adapter)` : label };
}

/** The renderer behind tfjs's WebGL context, unmasked where the browser allows. */
function describeWebGlRenderer(): AdapterInfo | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  return { vendor, architecture: '', description: renderer, software: SOFTWARE_RENDERER.test(renderer), label: renderer };
}

async function switchTo(name: BackendName): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (err) {
    throw new Error(`the ${name} backend failed to start: ${err instanceof Error ? err.message : String(err)}`);
  }
  // tfjs only logs why an initialisation failed; setBackend then returns false.
  if (!ok || tf.getBackend() !== name) throw new Error(`the ${name} backend failed to start (see the browser console)`);
}

/**
 * Make `name` tfjs's active backend. Initialises it on first use (later calls just switch).
 * @throws Error with a readable reason when it is not available here.
 */
export async function activateBackend(name: BackendName): Promise<ActiveBackend> {
  if (broken.has(name)) throw new Error(`${name} is unavailable: ${broken.get(name)}`);
  const known = started.get(name);
  if (known) {
    await switchTo(name);
    return known;
  }
  const active = await startBackend(name);
  started.set(name, active);
  return active;
}

async function startBackend(name: BackendName): Promise<ActiveBackend> {
  if (name === 'webgpu') {
    const gpu = (self.navigator as Navigator & { gpu?: { requestAdapter(o?: object): Promise<GpuAdapterLike | null> } }).gpu;
    if (!gpu) throw new Error('this browser does not offer WebGPU (navigator.gpu is missing)');
    // The same request tfjs makes, only to describe the adapter it will get.
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('WebGPU is present but no adapter is available');
    await switchTo('webgpu');
    const device = (tf.backend() as unknown as { device: GpuDeviceLike }).device;
    const lost = device.lost.then((info) =>
      info.reason === 'destroyed' ? new Promise<string>(() => {}) : `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`,
    );
    const info = describeAdapter(adapter);
    return { name, adapter: info, software: info.software, lost };
  }
  await switchTo(name);
  if (name === 'webgl') {
    const adapter = describeWebGlRenderer();
    return { name, adapter, software: adapter?.software ?? false };
  }
  const backend = tf.backend() as BackendWasm;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // The threaded build's memory is shared; it may still run one thread (tfjs gives it half the logical cores).
  const memory = wasmMemoryOf(backend);
  const threaded = memory != null && isSharedMemory(memory);
  const threads = getThreadsCount();
  const ours = simdKernelsFor(backend) != null;
  const build = [simd ? 'SIMD' : 'no SIMD', threaded && 'threaded build', `${threads} thread${threads === 1 ? '' : 's'}`, ours && 'our kernels'].filter(Boolean).join(', ');
  return { name, adapter: { vendor: '', architecture: '', description: build, software: false, label: `the CPU (${build})` }, software: false };
}

/** The outcome of choosing a backend, for the `backend` message and any notices. */
export interface BackendSelection {
  active: ActiveBackend;
  reason: string;
  measurements?: BackendMeasurement[];
  /** Backends that were tried and failed, with why. */
  failures: string[];
}

/**
 * Activate the first usable backend for `choice`. On 'auto', if that one is a software renderer, time
 * every usable backend with `measure` (ms per training step of the same tiny model) and keep the fastest;
 * later 'auto' choices reuse that result while its backend works.
 * @param measure runs a few steps on the active backend and returns ms per step; may throw.
 * @param onProgress receives a line per stage ("starting webgpu", "measuring wasm").
 * @throws Error listing every failure when no backend can be started.
 */
export async function selectBackend(
  choice: BackendChoice,
  measure: (name: BackendName) => Promise<number>,
  onProgress: (detail: string) => void,
): Promise<BackendSelection> {
  const failures: string[] = [];
  if (choice === 'auto') {
    const earlier = await reuseMeasured(onProgress, failures);
    if (earlier) return earlier;
  }
  let first: ActiveBackend | null = null;
  for (const name of listCandidates(choice)) {
    onProgress(`starting ${name}`);
    try {
      first = await activateBackend(name);
      break;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      markBroken(name, reason);
      failures.push(`${name}: ${reason}`);
    }
  }
  if (!first) throw new Error(`no training backend could be started (${failures.join('; ')})`);
  const on = first.adapter ? ` on ${first.adapter.label}` : '';
  if (choice !== 'auto') {
    // The badge shows the device beside the name, so the reason need not repeat it when all went as asked.
    const reason = first.name === choice ? `${choice}, as asked in the settings` : `${choice} was asked for but failed; ${first.name}${on} instead`;
    return { active: first, reason, failures };
  }
  if (!first.software) return { active: first, reason: `auto: ${first.name}${on}, the first available`, failures };
  return measureAll(first, measure, onProgress, failures);
}

/**
 * The outcome of the last measurement, kept for the worker's lifetime (the page's): the probe is the same
 * tiny model whatever the session's settings, so its ranking does not depend on them, and measuring again
 * on every Reset would cost half a minute on a software renderer.
 */
let measured: { best: BackendName; measurements: BackendMeasurement[]; renderer: string } | null = null;

/** Switch to the backend measured fastest earlier, unless it has failed since (then measure again). */
async function reuseMeasured(onProgress: (detail: string) => void, failures: string[]): Promise<BackendSelection | null> {
  if (!measured || broken.has(measured.best)) return null;
  onProgress(`starting ${measured.best}, the fastest measured earlier`);
  let active: ActiveBackend;
  try {
    active = await activateBackend(measured.best);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    markBroken(measured.best, reason);
    failures.push(`${measured.best}: ${reason}`);
    return null;
  }
  const reason =
    `auto: ${measured.best}, the fastest measured earlier on this page (${measured.renderer} is a software renderer; ` +
    `ms per step on a tiny ResNet-8: ${describeTimes(measured.measurements)})`;
  return { active, reason, measurements: measured.measurements, failures };
}

const describeTimes = (measurements: BackendMeasurement[]) => measurements.map((m) => `${m.backend} ${Math.round(m.msPerStep)}`).join(', ');

async function measureAll(
  first: ActiveBackend,
  measure: (name: BackendName) => Promise<number>,
  onProgress: (detail: string) => void,
  failures: string[],
): Promise<BackendSelection> {
  const measurements: BackendMeasurement[] = [];
  const actives = new Map<BackendName, ActiveBackend>();
  for (const name of listCandidates('auto')) {
    try {
      onProgress(`measuring ${name}`);
      const active = await activateBackend(name);
      measurements.push({ backend: name, msPerStep: await measure(name) });
      actives.set(name, active);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      markBroken(name, reason);
      failures.push(`${name}: ${reason}`);
    }
  }
  if (measurements.length === 0) throw new Error(`every backend failed while measuring (${failures.join('; ')})`);
  const best = measurements.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const active = actives.get(best.backend) as ActiveBackend;
  await activateBackend(best.backend);
  const renderer = `${first.name} on ${first.adapter?.label ?? 'an unknown adapter'}`;
  measured = { best: best.backend, measurements, renderer };
  const reason =
    `auto: ${first.name} runs on a software renderer (${first.adapter?.label ?? 'unknown'}), so every backend was timed ` +
    `on a tiny ResNet-8 (ms per step: ${describeTimes(measurements)}); ${best.backend} is the fastest`;
  return { active, reason, measurements, failures };
}

/** tfjs's memory counters now (no readback): tensors, bytes, and the WebGL / WebGPU device bytes. */
export function readMemory(): MemorySnapshot {
  // WebGL names its allocated total numBytesInGPUAllocated, WebGPU numBytesAllocatedInGPU.
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number };
  const snapshot: MemorySnapshot = { numTensors: m.numTensors, numBytes: m.numBytes };
  if (typeof m.numBytesInGPU === 'number') snapshot.gpuBytes = m.numBytesInGPU;
  const allocated = m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU;
  if (typeof allocated === 'number') snapshot.gpuBytesAllocated = allocated;
  return snapshot;
}
