// Loads the prepared data set the build ships (public/data/<name>/manifest.json + test.bin) and checks it
// against the manifest before anything uses it.
import { parseCifarBinary, type CifarFormat } from '../core/data/cifarBinary';
import type { ImageDataset } from '../core/data/types';

export interface Manifest {
  dataset: CifarFormat;
  classNames: string[];
  train: { count: number };
  test: { count: number };
}

/** Fetch the manifest and the test split of a prepared data set. Throws with a readable message on any problem. */
export async function loadTestSplit(name: CifarFormat): Promise<{ manifest: Manifest; test: ImageDataset }> {
  const base = `${import.meta.env.BASE_URL}data/${name}/`;
  const res = await fetch(`${base}manifest.json`);
  if (!res.ok) throw new Error(`no prepared ${name} data (HTTP ${res.status} for manifest.json): run npm run data`);
  const manifest = (await res.json()) as Manifest;
  const bin = await fetch(`${base}test.bin`);
  if (!bin.ok) throw new Error(`${name}/test.bin is missing (HTTP ${bin.status})`);
  const records = parseCifarBinary(new Uint8Array(await bin.arrayBuffer()), name);
  if (records.count !== manifest.test.count) throw new Error(`${name}/test.bin has ${records.count} images, the manifest says ${manifest.test.count}`);
  return { manifest, test: { images: records.images, labels: records.labels, count: records.count, classNames: manifest.classNames } };
}
