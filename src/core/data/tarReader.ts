// A small pure reader for tar archives (POSIX ustar, with GNU long names and pax paths): lists the regular
// files of an uncompressed archive held in memory. No Node or DOM imports, so the browser worker reads a
// dropped .tar (after DecompressionStream('gzip')) with the same code the tests and the CLI can use.

/** One regular file of an archive; `bytes` is a view into the archive's buffer (no copy). */
export interface TarEntry {
  /** Path inside the archive, '/'-separated, as stored (e.g. 'cifar-10-batches-bin/data_batch_1.bin'). */
  name: string;
  bytes: Uint8Array;
}

/** Thrown when bytes are not a readable tar archive; the message is one line. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const BLOCK = 512;
/** Archives of more entries than this are refused (CIFAR's hold under 10). */
export const MAX_TAR_ENTRIES = 10_000;

const decoder = new TextDecoder();

/** Read a NUL-terminated text field. */
function readText(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

/** Read an octal number field (NUL- or space-terminated); -1 when it is not octal. */
function readOctal(block: Uint8Array, offset: number, length: number): number {
  const text = readText(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return -1;
  return parseInt(text, 8);
}

/** The header checksum: the sum of its bytes with the checksum field counted as spaces. */
function computeChecksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum;
}

const isZeroBlock = (block: Uint8Array) => block.every((b) => b === 0);

/** The 'path' record of a pax extended header ("<len> path=<value>\n" records), if any. */
function readPaxPath(data: Uint8Array): string | undefined {
  const text = decoder.decode(data);
  let path: string | undefined;
  for (const line of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) path = match[1];
  }
  return path;
}

/**
 * List the regular files of a tar archive, in archive order; directories, links and other entries are skipped.
 * @throws TarFormatError when a header's checksum or size is wrong, an entry runs past the end of the bytes,
 *   or there are more than `maxEntries` entries.
 */
export function readTar(bytes: Uint8Array, options: { maxEntries?: number } = {}): TarEntry[] {
  const maxEntries = options.maxEntries ?? MAX_TAR_ENTRIES;
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let seen = 0;
  if (bytes.length < BLOCK) throw new TarFormatError(`not a tar archive: ${bytes.length} bytes is less than one 512-byte header`);
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (isZeroBlock(header)) return finish(entries, seen); // end of archive
    const stored = readOctal(header, 148, 8);
    if (stored !== computeChecksum(header)) {
      throw new TarFormatError(`not a tar archive, or a corrupted one: the header at byte ${offset} fails its checksum`);
    }
    const size = readOctal(header, 124, 12);
    if (size < 0) throw new TarFormatError(`corrupted tar archive: the header at byte ${offset} has no valid size`);
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length) {
      throw new TarFormatError(`truncated tar archive: an entry at byte ${offset} needs ${size} bytes, only ${bytes.length - dataStart} remain`);
    }
    if (++seen > maxEntries) throw new TarFormatError(`tar archive has more than ${maxEntries} entries`);
    const data = bytes.subarray(dataStart, dataStart + size);
    const type = String.fromCharCode(header[156]);
    const prefix = readText(header, 257, 6).startsWith('ustar') ? readText(header, 345, 155) : '';
    const plainName = prefix ? `${prefix}/${readText(header, 0, 100)}` : readText(header, 0, 100);
    if (type === 'L') longName = readText(data, 0, data.length);
    else if (type === 'x') longName = readPaxPath(data) ?? longName;
    else {
      if (type === '0' || type === '\0' || type === '7') entries.push({ name: longName ?? plainName, bytes: data });
      longName = undefined;
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (offset < bytes.length) throw new TarFormatError(`truncated tar archive: it ends inside the header at byte ${offset}`);
  return finish(entries, seen);
}

function finish(entries: TarEntry[], seen: number): TarEntry[] {
  if (seen === 0) throw new TarFormatError('not a tar archive: it holds no entries');
  return entries;
}
