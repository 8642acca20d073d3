// Node-side backend selection for the CLI, scripts and tests: registers our wasm training kernels,
// switches tfjs to the requested backend and waits until it is usable. The core never picks a backend.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../core/backends/wasmKernels';

/**
 * Makes `name` the active tfjs backend and resolves once it is ready.
 * In Node the wasm backend finds its .wasm binaries next to its own JS in node_modules, so no
 * `setWasmPaths` call is needed. Throws an Error naming the backend if it cannot be initialised.
 */
export async function setupBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name !== 'wasm' && name !== 'cpu') throw new Error(`setupBackend: unknown backend '${String(name)}'`);
  // Before setBackend so the kernels (and the stock kernel's setupFunc we keep) exist at init.
  registerWasmTrainingKernels();
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (err) {
    cause = err;
  }
  if (!ok || tf.getBackend() !== name) {
    const detail = cause instanceof Error ? cause.message : cause != null ? JSON.stringify(cause) : 'setBackend returned false';
    throw new Error(`setupBackend: could not initialise the tfjs '${name}' backend (${detail})`);
  }
}
