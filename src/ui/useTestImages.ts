// The session's test images on the page, for the thumbnails the feature map shows on hover. The worker
// embeds images of its test subset and reports their indices in it; the page cuts the same subset from the
// same test split with the same function and arguments (src/worker/loadData.ts cutSubset), and the panels
// check the labels agree before drawing an image.
import { useEffect, useMemo, useState } from 'react';
import { selectSubset } from '../core/data/subset';
import type { ImageDataset } from '../core/data/types';
import type { LabSettings } from '../worker/protocol';
import { loadTestSplit } from './dataset';

const cache = new Map<LabSettings['dataset'], Promise<ImageDataset>>();

function loadOnce(name: LabSettings['dataset']): Promise<ImageDataset> {
  let pending = cache.get(name);
  if (!pending) {
    pending = loadTestSplit(name);
    pending.catch(() => cache.delete(name));
    cache.set(name, pending);
  }
  return pending;
}

/** The session's test subset, or undefined while loading or when it cannot be cut (no thumbnails then). */
export function useTestImages(settings: Pick<LabSettings, 'dataset' | 'classes' | 'testPerClass' | 'seed'>): ImageDataset | undefined {
  const [split, setSplit] = useState<{ name: string; data: ImageDataset } | undefined>();
  const { dataset, classes, testPerClass, seed } = settings;
  useEffect(() => {
    let live = true;
    loadOnce(dataset).then(
      (data) => live && setSplit({ name: dataset, data }),
      () => live && setSplit(undefined),
    );
    return () => {
      live = false;
    };
  }, [dataset]);
  return useMemo(() => {
    if (!split || split.name !== dataset) return undefined;
    try {
      return selectSubset(split.data, { classes, perClass: testPerClass, seed });
    } catch {
      return undefined;
    }
  }, [split, dataset, classes, testPerClass, seed]);
}
