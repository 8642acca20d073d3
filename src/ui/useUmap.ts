// Lays out each run's embedded test features in 2-D with UMAP, in one worker per run so the runs progress
// together. Every new embedding starts a new fit; layouts of an older fit are dropped when they arrive late.
import { useEffect, useRef, useState } from 'react';
import type { FromUmap, ToUmap } from '../worker/protocol';
import { createFrameBatcher, type FrameBatcher } from './lib/frameBatcher';
import type { EmbeddingView } from './trainerView';

export interface UmapLayout {
  /** [count, 2] row-major. */
  coords: Float32Array;
  epoch: number;
  epochs: number;
  /** The training step whose embedding this lays out. */
  step: number;
}

export interface UmapState {
  layouts: Array<UmapLayout | undefined>;
  errors: Array<string | undefined>;
}

/** Optimisation epochs per fit: enough for clusters to settle in a few seconds at a few hundred points. */
export const UMAP_EPOCHS = 200;

type Tagged = { run: number; message: FromUmap };

export function useUmap(embedding: EmbeddingView | undefined, seed: number): UmapState {
  const [state, setState] = useState<UmapState>({ layouts: [], errors: [] });
  const workers = useRef<Worker[]>([]);
  const fitIds = useRef<number[]>([]);
  const fitSteps = useRef<number[]>([]);
  const counter = useRef(0);
  const batcher = useRef<FrameBatcher<Tagged> | null>(null);

  useEffect(() => {
    const b = createFrameBatcher<Tagged>((items) =>
      setState((s) => {
        const layouts = [...s.layouts];
        const errors = [...s.errors];
        for (const { run, message } of items) {
          if (message.id !== fitIds.current[run]) continue;
          if (message.type === 'layout') {
            layouts[run] = { coords: message.coords, epoch: message.epoch, epochs: message.epochs, step: fitSteps.current[run] };
            errors[run] = undefined;
          } else {
            errors[run] = message.message;
          }
        }
        return { layouts, errors };
      }),
    );
    batcher.current = b;
    const owned = workers.current;
    return () => {
      b.cancel();
      owned.forEach((w) => w.terminate());
      owned.length = 0;
    };
  }, []);

  useEffect(() => {
    if (!embedding) {
      fitIds.current = [];
      setState({ layouts: [], errors: [] });
      return;
    }
    embedding.features.forEach((features, run) => {
      let worker = workers.current[run];
      if (!worker) {
        worker = new Worker(new URL('../worker/umap.worker.ts', import.meta.url), { type: 'module' });
        worker.onmessage = (event: MessageEvent<FromUmap>) => batcher.current?.push({ run, message: event.data });
        worker.onerror = (event) => {
          event.preventDefault();
          batcher.current?.push({ run, message: { type: 'error', id: fitIds.current[run], message: `UMAP worker stopped: ${event.message || 'its script could not be loaded'}` } });
        };
        workers.current[run] = worker;
      }
      const id = ++counter.current;
      fitIds.current[run] = id;
      fitSteps.current[run] = embedding.step;
      // Copied, not transferred: the page keeps the features for the similarity matrix and the histogram.
      worker.postMessage({ type: 'fit', id, features, dim: embedding.dim, seed, epochs: UMAP_EPOCHS } satisfies ToUmap);
    });
  }, [embedding, seed]);

  return state;
}
