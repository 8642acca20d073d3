// Node-side backend selection for the CLI, scripts and tests: registers our wasm training kernels,
// switches tfjs to the requested backend and waits until it is usable. The core never picks a backend.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../core/backends/wasmKernels';

/** Backends that run in Node. webgpu needs the `webgpu` package (Dawn) and a Vulkan driver, see WEBGPU_ENV. */
export type NodeBackend = 'wasm' | 'cpu' | 'webgpu';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu', 'webgpu'];

/**
 * Environment Dawn needs here to find a Vulkan driver: SwiftShader (a CPU Vulkan) from Debian's chromium
 * package. The dynamic loader reads LD_LIBRARY_PATH only at process start, so a host that wants webgpu
 * and lacks these must start a child process with them (src/cli/bench.ts does).
 */
export const WEBGPU_ENV = {
  LD_LIBRARY_PATH: '/usr/lib/chromium',
  VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json',
} as const;

/**
 * Makes `name` the active tfjs backend and resolves once it is ready.
 * In Node the wasm backend finds its .wasm binaries next to its own JS in node_modules, so no
 * `setWasmPaths` call is needed. For webgpu this installs Dawn's `navigator.gpu` (package `webgpu`)
 * as a global first. Throws an Error naming the backend if it cannot be initialised.
 */
export async function setupBackend(name: NodeBackend): Promise<void> {
  if (!NODE_BACKENDS.includes(name)) throw new Error(`setupBackend: unknown backend '${String(name)}'`);
  // Before setBackend so the kernels (and the stock kernel's setupFunc we keep) exist at init.
  registerWasmTrainingKernels();
  let ok = false;
  let cause: unknown;
  try {
    if (name === 'webgpu') await installNodeWebGpu();
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (err) {
    cause = err;
  }
  if (!ok || tf.getBackend() !== name) {
    const detail = cause instanceof Error ? cause.message : cause != null ? JSON.stringify(cause) : 'setBackend returned false';
    const hint = name === 'webgpu' ? ` (it needs the npm package 'webgpu' and ${Object.entries(WEBGPU_ENV).map(([k, v]) => `${k}=${v}`).join(' ')})` : '';
    throw new Error(`setupBackend: could not initialise the tfjs '${name}' backend (${detail})${hint}`);
  }
}

/** Give Node a browser-like `navigator.gpu` from Dawn, then load the tfjs webgpu backend (which registers itself). */
async function installNodeWebGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu == null) {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    if (g.navigator == null) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    Object.defineProperty(g.navigator, 'gpu', { value: create([]), configurable: true });
  }
  await import('@tensorflow/tfjs-backend-webgpu');
}
