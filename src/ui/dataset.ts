// Reads the manifests the build ships under public/data/<name>/ (written by `npm run data`), to know which
// data sets exist and how many images per class they offer. The images themselves are the training worker's
// business: the thumbnails the page shows come from it.
import type { CifarFormat } from '../core/data/cifarBinary';
import type { DataCatalog, DatasetName } from './settings';

export interface Manifest {
  dataset: CifarFormat;
  classNames: string[];
  train: { count: number; perClass?: number };
  test: { count: number; perClass?: number };
}

const DATASETS: readonly DatasetName[] = ['cifar10', 'cifar100'];

const folder = (name: DatasetName) => `${import.meta.env.BASE_URL}data/${name}/`;

/** Fetch one manifest; null when the data set is not prepared (any HTTP error or unreadable JSON). */
async function fetchManifest(name: DatasetName): Promise<Manifest | null> {
  try {
    const res = await fetch(`${folder(name)}manifest.json`);
    if (!res.ok) return null;
    const manifest = (await res.json()) as Manifest;
    return manifest.dataset === name && Array.isArray(manifest.classNames) ? manifest : null;
  } catch {
    return null;
  }
}

/** Which data sets this server has prepared, with the limits their manifests give the settings. */
export async function loadCatalog(): Promise<{ catalog: DataCatalog; manifests: Partial<Record<DatasetName, Manifest>> }> {
  const found = await Promise.all(DATASETS.map(fetchManifest));
  const catalog: DataCatalog = {};
  const manifests: Partial<Record<DatasetName, Manifest>> = {};
  DATASETS.forEach((name, i) => {
    const m = found[i];
    if (!m) return;
    const classes = m.classNames.length;
    manifests[name] = m;
    catalog[name] = {
      classes,
      trainPerClass: m.train.perClass ?? Math.floor(m.train.count / classes),
      testPerClass: m.test.perClass ?? Math.floor(m.test.count / classes),
    };
  });
  return { catalog, manifests };
}
