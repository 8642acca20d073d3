// The user's own data, dropped on the page: official CIFAR-10 / CIFAR-100 binary files, or their .tar / .tar.gz,
// read in the training worker. Gunzips with the browser's DecompressionStream, lists the archive with the core
// tar reader and parses with the core CIFAR parser; the result trains like a prepared data set.
import { joinArrays } from '../core/arrays';
import { countPerClass } from '../core/data/cifarBinary';
import { readCifarFiles, type NamedFile } from '../core/data/cifarFiles';
import { readTar } from '../core/data/tarReader';
import type { LoadedDataset } from './loadData';

/** Most bytes a drop may hold, compressed or not (the full official releases are about 180 MB each). */
export const MAX_DROP_BYTES = 400 * 1024 * 1024;

/** A failed drop; the message is one line for the page. The data in use is untouched. */
export class DroppedDataError extends Error {
  override name = 'DroppedDataError';
}

/** Reports how far the reading has got, 0..1, with what is being done. */
export type DropProgress = (fraction: number, detail: string) => void;

const formatMegabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MB`;

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isTar = (name: string, b: Uint8Array) =>
  /\.(tar|tgz|tar\.gz)$/i.test(name) || (b.length >= 262 && new TextDecoder().decode(b.subarray(257, 262)) === 'ustar');

/** Gunzip a file through DecompressionStream, refusing output past MAX_DROP_BYTES; progress by input consumed. */
async function gunzip(file: File, onProgress: DropProgress, maxBytes: number): Promise<Uint8Array> {
  let consumed = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      consumed += chunk.length;
      onProgress(consumed / Math.max(file.size, 1), `decompressing ${file.name}`);
      controller.enqueue(chunk);
    },
  });
  // DOM typings give DecompressionStream a BufferSource input; the bytes we pipe are Uint8Array chunks.
  const gzip = new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
  const reader = file.stream().pipeThrough(counter).pipeThrough(gzip).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw new DroppedDataError(`${file.name} unpacks to more than ${formatMegabytes(maxBytes)}: too large for a CIFAR data set`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof DroppedDataError) throw err;
    throw new DroppedDataError(`${file.name} is a truncated or corrupted gzip file (${err instanceof Error ? err.message : String(err)})`);
  }
  return joinArrays(chunks, (n) => new Uint8Array(n));
}

/** The named files a dropped file holds: itself, or an archive's members. */
async function unpack(file: File, onProgress: DropProgress, maxBytes: number): Promise<NamedFile[]> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const bytes = isGzip(head) ? await gunzip(file, onProgress, maxBytes) : new Uint8Array(await file.arrayBuffer());
  const name = file.name.replace(/\.gz$/i, '');
  if (!isTar(name, bytes) && !/\.tgz$/i.test(file.name)) return [{ name, bytes }];
  try {
    return readTar(bytes);
  } catch (err) {
    throw new DroppedDataError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Read dropped files into a data set the worker can cut subsets from (the smallest class bounds the images
 * per class). Reports progress as it reads. `maxBytes` caps the files and what they unpack to (MAX_DROP_BYTES).
 * @throws DroppedDataError or CifarFilesError (one-line messages) for oversized, truncated, corrupted or
 *   foreign files; nothing else changes.
 */
export async function readDroppedData(
  files: File[],
  onProgress: DropProgress,
  options: { maxBytes?: number } = {},
): Promise<{ data: LoadedDataset; source: string }> {
  const maxBytes = options.maxBytes ?? MAX_DROP_BYTES;
  if (files.length === 0) throw new DroppedDataError('no files were dropped');
  const size = files.reduce((n, f) => n + f.size, 0);
  if (size > maxBytes) {
    throw new DroppedDataError(`the dropped files hold ${formatMegabytes(size)}, more than the ${formatMegabytes(maxBytes)} a CIFAR data set needs`);
  }
  const named: NamedFile[] = [];
  for (const [i, file] of files.entries()) {
    onProgress(i / files.length, `reading ${file.name}`);
    named.push(...(await unpack(file, (f, detail) => onProgress((i + f) / files.length, detail), maxBytes)));
  }
  onProgress(1, 'parsing the records');
  const set = readCifarFiles(named);
  const { train, test } = set.split;
  const classes = train.classNames.length;
  const smallest = (labels: Int32Array) => Math.min(...countPerClass(labels, classes));
  const data: LoadedDataset = {
    manifest: {
      dataset: set.dataset,
      classNames: [...train.classNames],
      train: { count: train.count, perClass: smallest(train.labels) },
      test: { count: test.count, perClass: smallest(test.labels) },
    },
    split: set.split,
  };
  return { data, source: files.map((f) => f.name).join(', ') };
}
