// Test page script: starts the real training and UMAP workers and exposes a small API on `window` for the
// Playwright specs, recording every message (large buffers summarised) and echoing them into the page.
import type { FromTrainer, FromUmap, ToTrainer } from '../../src/worker/protocol';
import { openRunStore } from '../../src/worker/runStore';

/** A message as recorded for the tests: typed arrays replaced by a summary, plus the arrival time. */
export type Recorded = Record<string, unknown> & { type: string; at: number };

/** What the specs call through page.evaluate. */
export interface Harness {
  messages: Recorded[];
  send(message: ToTrainer): void;
  /** Fit the latest embedding's first run with the UMAP worker; resolves with every layout posted for `id`. */
  fitLatestEmbedding(id: number, epochs: number, seed: number): Promise<Recorded[]>;
  /** Two fits in a row: the first must be superseded; resolves with every message of both ids. */
  fitTwice(epochs: number): Promise<Recorded[]>;
  /** What the run store holds for a saved run (typed arrays summarised), read from the page; null if none. */
  readSavedRun(id: string): Promise<Recorded | null>;
}

declare global {
  interface Window {
    harness: Harness;
  }
}

const log = document.getElementById('log') as HTMLPreElement;
const trainer = new Worker(new URL('../../src/worker/training.worker.ts', import.meta.url), { type: 'module' });
const umap = new Worker(new URL('../../src/worker/umap.worker.ts', import.meta.url), { type: 'module' });
const start = performance.now();
let latestEmbedding: { features: Float32Array; dim: number } | null = null;

function summarise(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as ArrayLike<number>;
    let finite = true;
    for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) finite = false;
    return { length: array.length, finite, head: Array.from(array).slice(0, 4) };
  }
  if (Array.isArray(value)) return value.map(summarise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, summarise(v)]));
  return value;
}

function record(message: FromTrainer | FromUmap): Recorded {
  const entry = { ...(summarise(message) as Record<string, unknown>), type: message.type, at: Math.round(performance.now() - start) };
  log.textContent += `${entry.at} ms ${JSON.stringify(entry).slice(0, 400)}\n`;
  return entry;
}

const messages: Recorded[] = [];
trainer.onmessage = (event: MessageEvent<FromTrainer>) => {
  const message = event.data;
  if (message.type === 'embedding') latestEmbedding = { features: message.features[0], dim: message.dim };
  messages.push(record(message));
};
trainer.onerror = (event) => messages.push({ type: 'workerError', message: event.message, at: Math.round(performance.now() - start) });

function collectUmap(ids: number[], epochs: number): Promise<Recorded[]> {
  return new Promise((resolve) => {
    const got: Recorded[] = [];
    umap.onmessage = (event: MessageEvent<FromUmap>) => {
      const message = event.data;
      got.push(record(message));
      const last = ids[ids.length - 1];
      if (message.id === last && (message.type === 'error' || message.epoch >= epochs)) resolve(got);
    };
  });
}

window.harness = {
  messages,
  async readSavedRun(id) {
    const store = await openRunStore();
    try {
      const run = await store.readRun(id);
      return run ? { ...(summarise(run) as Record<string, unknown>), type: 'savedRun', at: Math.round(performance.now() - start) } : null;
    } finally {
      store.close();
    }
  },
  send(message) {
    trainer.postMessage(message);
  },
  fitLatestEmbedding(id, epochs, seed) {
    if (!latestEmbedding) return Promise.reject(new Error('no embedding received yet'));
    const done = collectUmap([id], epochs);
    umap.postMessage({ type: 'fit', id, features: latestEmbedding.features, dim: latestEmbedding.dim, seed, epochs });
    return done;
  },
  fitTwice(epochs) {
    if (!latestEmbedding) return Promise.reject(new Error('no embedding received yet'));
    const done = collectUmap([101, 102], epochs);
    const { features, dim } = latestEmbedding;
    umap.postMessage({ type: 'fit', id: 101, features, dim, seed: 1, epochs });
    umap.postMessage({ type: 'fit', id: 102, features, dim, seed: 2, epochs });
    return done;
  },
};
