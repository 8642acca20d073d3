// The UMAP worker: lays test features out in 2-D with umap-js, step by step, posting the layout as it
// converges so the page can animate it. A new `fit` supersedes the one in progress; randomness is seeded.
import { UMAP } from 'umap-js';
import { createRng } from '../core/rng';
import type { FromUmap, ToUmap } from './protocol';

/** Epochs between posted layouts. */
const POST_EVERY = 10;
/** umap-js's default neighbourhood, shrunk for tiny sets (it needs more points than neighbours). */
const MAX_NEIGHBORS = 15;

let latest = -1;

function post(message: FromUmap, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

/**
 * Rows of `features` [count, dim], L2-normalised: Euclidean distance between unit vectors ranks
 * neighbours like the cosine, the geometry OPL works in.
 */
function toUnitRows(features: Float32Array, dim: number): number[][] {
  const count = Math.floor(features.length / dim);
  return Array.from({ length: count }, (_, i) => {
    const row = Array.from(features.subarray(i * dim, (i + 1) * dim));
    const norm = Math.max(Math.hypot(...row), 1e-12);
    return row.map((v) => v / norm);
  });
}

function flatten(embedding: number[][]): Float32Array {
  const coords = new Float32Array(embedding.length * 2);
  embedding.forEach(([x, y], i) => {
    coords[i * 2] = x;
    coords[i * 2 + 1] = y;
  });
  return coords;
}

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function fit(message: ToUmap): Promise<void> {
  const { id, dim, seed } = message;
  const rows = toUnitRows(message.features, dim);
  const epochs = Math.max(1, Math.floor(message.epochs));
  if (rows.length < 3) {
    // Too few points for a neighbourhood graph: place them on a line, deterministically.
    post({ type: 'layout', id, epoch: epochs, epochs, coords: flatten(rows.map((_, i) => [i, 0])) });
    return;
  }
  const rng = createRng(seed);
  const umap = new UMAP({ nComponents: 2, nEpochs: epochs, nNeighbors: Math.min(MAX_NEIGHBORS, rows.length - 1), random: rng.next });
  const total = umap.initializeFit(rows);
  for (let epoch = 0; epoch < total; ) {
    await yieldToEvents();
    if (id !== latest) return; // superseded
    const until = Math.min(epoch + POST_EVERY, total);
    while (epoch < until) epoch = umap.step();
    const coords = flatten(umap.getEmbedding());
    post({ type: 'layout', id, epoch, epochs: total, coords }, [coords.buffer]);
  }
}

self.onmessage = (event: MessageEvent<ToUmap>) => {
  const message = event.data;
  if (message.type !== 'fit') return;
  latest = message.id;
  fit(message).catch((err: unknown) => post({ type: 'error', id: message.id, message: err instanceof Error ? err.message : String(err) }));
};
