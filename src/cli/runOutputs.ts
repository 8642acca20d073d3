// What `npm run train` writes besides its table: the run file, the LayersModel per run, the Embedding Projector
// files per run and the history CSV; and reading a run file back with a one-line UsageError when it is bad.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { exportLayersModel, historyToCsv, toProjectorTsv, WEIGHTS_FILE } from '../core/io/exports';
import { decodeRunFile, encodeRunFile, RUN_FILE_EXTENSION, RunFileError, type RunHistory, type SavedEmbedding, type SavedRun } from '../core/io/runFile';
import type { RunSpec } from '../core/config';
import type { ChannelStats } from '../core/data/subset';
import type { ResNet } from '../core/models/resnet';
import { UsageError } from './options';

/** A folder name for a run: "CE + OPL" → "ce-opl". */
export function slugifyRunName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';
}

/** Folder names for the runs, unique even when two names slug alike. */
function nameRunFolders(runs: readonly RunSpec[]): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const slug = slugifyRunName(r.name);
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    return n > 1 ? `${slug}-${n}` : slug;
  });
}

/** Check before training that an output file can be written where asked (its folder exists), so no run is lost at the end. */
export function checkOutputFile(option: string, path: string, extension?: string): void {
  if (extension && !path.endsWith(extension)) throw new UsageError(`--${option} must name a ${extension} file (got '${path}')`);
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`--${option}: the folder ${folder} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--${option}: ${path} is a folder, not a file`);
}

/** Check before training that an output folder exists or can be made (its parent exists). */
export function checkOutputFolder(option: string, path: string): void {
  const full = resolve(path);
  if (existsSync(full)) {
    if (!statSync(full).isDirectory()) throw new UsageError(`--${option}: ${path} exists and is not a folder`);
    return;
  }
  if (!existsSync(dirname(full))) throw new UsageError(`--${option}: the folder ${dirname(full)} does not exist`);
}

/** Read and check a run file; anything wrong (missing, unreadable, malformed) is a one-line UsageError. */
export async function readRunFile(path: string): Promise<SavedRun> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`);
  }
  try {
    return decodeRunFile(bytes);
  } catch (err) {
    if (err instanceof RunFileError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
}

/** Write a run file atomically (a temporary file renamed over the target), so a crash never leaves half a file. */
export async function writeRunFile(path: string, run: SavedRun): Promise<void> {
  const temporary = `${path}.partial`;
  await writeFile(temporary, encodeRunFile(run));
  await rename(temporary, path);
}

/** The run's name as saved: the file name without its extension. */
export function nameRunFile(path: string): string {
  return basename(path, RUN_FILE_EXTENSION);
}

/** Write each run's model as DIR/<run>/model.json + weights.bin (LayersModel format). */
export async function writeModelExports(dir: string, runs: readonly RunSpec[], models: readonly ResNet[], meta: { classNames: string[]; stats: ChannelStats }): Promise<string[]> {
  const folders = nameRunFolders(runs);
  const written: string[] = [];
  for (let r = 0; r < runs.length; r++) {
    const { modelJson, weightData } = await exportLayersModel(models[r], meta);
    const folder = join(dir, folders[r]);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'model.json'), JSON.stringify(modelJson));
    await writeFile(join(folder, WEIGHTS_FILE), new Uint8Array(weightData));
    written.push(folder);
  }
  return written;
}

/** Write each run's test features as DIR/<run>/tensors.tsv + metadata.tsv (TensorFlow Embedding Projector). */
export async function writeFeatureExports(dir: string, runs: readonly RunSpec[], embedding: SavedEmbedding, classNames: string[]): Promise<string[]> {
  const folders = nameRunFolders(runs);
  const written: string[] = [];
  for (let r = 0; r < runs.length; r++) {
    const { tensorsTsv, metadataTsv } = toProjectorTsv(embedding.features[r], embedding.dim, embedding.labels, classNames);
    const folder = join(dir, folders[r]);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'tensors.tsv'), tensorsTsv);
    await writeFile(join(folder, 'metadata.tsv'), metadataTsv);
    written.push(folder);
  }
  return written;
}

/** Write the history as CSV. */
export async function writeHistoryCsv(path: string, history: RunHistory, runs: readonly RunSpec[]): Promise<void> {
  await writeFile(path, historyToCsv(history, runs.map((r) => r.name)));
}
