// Host readbacks counted while some work runs: Tensor.data / dataSync go through the engine's read / readSync
// (kernels that peek at wasm memory internally call the backend directly and are not readbacks).
import * as tf from '@tensorflow/tfjs';

/** Run `work`, which may ask `reads()` for the readbacks so far; the engine is restored afterwards. */
export async function countReads<T>(work: (reads: () => number) => Promise<T>): Promise<T> {
  const engine = tf.engine() as unknown as { readSync: (...a: unknown[]) => unknown; read: (...a: unknown[]) => Promise<unknown> };
  let reads = 0;
  const origRead = engine.read.bind(engine);
  const origReadSync = engine.readSync.bind(engine);
  engine.read = (...a) => { reads++; return origRead(...a); };
  engine.readSync = (...a) => { reads++; return origReadSync(...a); };
  try {
    return await work(() => reads);
  } finally {
    engine.read = origRead;
    engine.readSync = origReadSync;
  }
}
