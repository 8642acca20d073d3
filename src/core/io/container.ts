// A small checksummed binary container: a JSON document whose Float32Array / Int32Array values travel as raw
// little-endian blobs after it. Layout: 8-byte magic, u32 version, u32 JSON length, u32 blob length, the JSON
// (UTF-8, zero-padded to 4 bytes), the blobs (each 4-byte aligned), then a CRC-32 of everything before it.

/** Bytes before the JSON: magic (8), version, JSON length, blob section length (u32 little-endian each). */
export const CONTAINER_HEADER_BYTES = 20;
const CHECKSUM_BYTES = 4;

/** Why a container could not be read; the message is one line. */
export class ContainerError extends Error {
  override name = 'ContainerError';
}

interface BlobEntry {
  type: 'f32' | 'i32';
  length: number;
}

const BLOB_KEY = '$blob';
const NUMBER_KEY = '$num';
/** Deepest nesting read back: documents are shallow, and a deep hostile one must not exhaust the stack. */
const MAX_DEPTH = 64;

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, the zlib / PNG polynomial) of bytes. */
export function computeCrc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const alignTo4 = (n: number) => (n + 3) & ~3;

/**
 * Pack a JSON-able document into one byte array. Typed arrays (Float32Array, Int32Array) anywhere in it become
 * blobs; NaN and ±Infinity survive (JSON alone would turn them into null). The document is not modified.
 */
export function packContainer(magic: Uint8Array, version: number, doc: unknown): Uint8Array {
  if (magic.length !== 8) throw new RangeError('packContainer: the magic must be 8 bytes');
  const blobs: (Float32Array | Int32Array)[] = [];
  const docJson = JSON.stringify(doc, (_key, value: unknown) => {
    if (value instanceof Float32Array || value instanceof Int32Array) {
      blobs.push(value);
      return { [BLOB_KEY]: blobs.length - 1 };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { [NUMBER_KEY]: String(value) };
    return value;
  });
  const table: BlobEntry[] = blobs.map((b) => ({ type: b instanceof Float32Array ? 'f32' : 'i32', length: b.length }));
  const jsonBytes = new TextEncoder().encode(`{"blobs":${JSON.stringify(table)},"doc":${docJson}}`);
  const jsonPadded = alignTo4(jsonBytes.length);
  const blobBytes = blobs.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(CONTAINER_HEADER_BYTES + jsonPadded + blobBytes + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  out.set(magic, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, blobBytes, true);
  out.set(jsonBytes, CONTAINER_HEADER_BYTES);
  let offset = CONTAINER_HEADER_BYTES + jsonPadded;
  for (const b of blobs) {
    for (let i = 0; i < b.length; i++, offset += 4) {
      if (b instanceof Float32Array) view.setFloat32(offset, b[i], true);
      else view.setInt32(offset, b[i], true);
    }
  }
  view.setUint32(offset, computeCrc32(out.subarray(0, offset)), true);
  return out;
}

/**
 * Read a container back: checks the magic, version, lengths and checksum, then returns the document with every
 * blob reference replaced by a new typed array (and NaN/Infinity restored). The document's shape is the
 * caller's to check.
 * @throws ContainerError with a one-line reason on anything malformed, truncated or over maxBytes.
 */
export function unpackContainer(bytes: Uint8Array, magic: Uint8Array, version: number, maxBytes: number, what: string): unknown {
  if (!(bytes instanceof Uint8Array)) throw new ContainerError(`${what}: not a byte array`);
  if (bytes.length > maxBytes) throw new ContainerError(`${what} is ${bytes.length} bytes, more than the ${maxBytes} allowed`);
  if (bytes.length < magic.length || magic.some((m, i) => bytes[i] !== m)) throw new ContainerError(`not ${what} (wrong magic bytes at the start)`);
  if (bytes.length < CONTAINER_HEADER_BYTES + CHECKSUM_BYTES) throw new ContainerError(`${what} is truncated (${bytes.length} bytes, shorter than its header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileVersion = view.getUint32(8, true);
  if (fileVersion !== version) throw new ContainerError(`${what} has format version ${fileVersion}; this version reads version ${version}`);
  const jsonLength = view.getUint32(12, true);
  const blobLength = view.getUint32(16, true);
  const expected = CONTAINER_HEADER_BYTES + alignTo4(jsonLength) + blobLength + CHECKSUM_BYTES;
  if (bytes.length < expected) throw new ContainerError(`${what} is truncated (${bytes.length} of ${expected} bytes)`);
  if (bytes.length > expected) throw new ContainerError(`${what} has ${bytes.length - expected} unexpected bytes after its end`);
  const end = bytes.length - CHECKSUM_BYTES;
  if (view.getUint32(end, true) !== computeCrc32(bytes.subarray(0, end))) throw new ContainerError(`${what} is corrupted (checksum mismatch)`);
  if (blobLength % 4 !== 0) throw new ContainerError(`${what} has a blob section of ${blobLength} bytes, not a multiple of 4`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(CONTAINER_HEADER_BYTES, CONTAINER_HEADER_BYTES + jsonLength)));
  } catch {
    throw new ContainerError(`${what} has an unreadable JSON part`);
  }
  const top = parsed as { blobs?: unknown; doc?: unknown };
  if (typeof top !== 'object' || top === null || !Array.isArray(top.blobs) || !('doc' in top)) throw new ContainerError(`${what} has no blob table or document`);
  const table = top.blobs as unknown[];
  let total = 0;
  for (const entry of table) {
    const e = entry as BlobEntry;
    const ok = typeof e === 'object' && e !== null && (e.type === 'f32' || e.type === 'i32') && Number.isSafeInteger(e.length) && e.length >= 0;
    if (!ok) throw new ContainerError(`${what} has a malformed blob table`);
    total += e.length * 4;
  }
  if (total !== blobLength) throw new ContainerError(`${what}'s blob table describes ${total} bytes, the file holds ${blobLength}`);
  const starts: number[] = [];
  let offset = CONTAINER_HEADER_BYTES + alignTo4(jsonLength);
  for (const e of table as BlobEntry[]) {
    starts.push(offset);
    offset += e.length * 4;
  }
  const used = new Set<number>();
  const revive = (value: unknown, depth = 0): unknown => {
    if (depth > MAX_DEPTH) throw new ContainerError(`${what} nests deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) return value.map((v) => revive(v, depth + 1));
    if (typeof value !== 'object' || value === null) return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === NUMBER_KEY) {
      const text = obj[NUMBER_KEY];
      if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return Number(text);
      throw new ContainerError(`${what} has a malformed number`);
    }
    if (keys.length === 1 && keys[0] === BLOB_KEY) {
      const index = obj[BLOB_KEY];
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= table.length || used.has(index as number)) {
        throw new ContainerError(`${what} has a bad blob reference`);
      }
      used.add(index as number);
      return readBlob(view, starts[index as number], table[index as number] as BlobEntry);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (key === '__proto__') throw new ContainerError(`${what} has a forbidden key`);
      out[key] = revive(obj[key], depth + 1);
    }
    return out;
  };
  const doc = revive(top.doc);
  if (used.size !== table.length) throw new ContainerError(`${what} has ${table.length - used.size} blobs nothing refers to`);
  return doc;
}

function readBlob(view: DataView, start: number, entry: BlobEntry): Float32Array | Int32Array {
  const out = entry.type === 'f32' ? new Float32Array(entry.length) : new Int32Array(entry.length);
  for (let i = 0; i < entry.length; i++) out[i] = entry.type === 'f32' ? view.getFloat32(start + 4 * i, true) : view.getInt32(start + 4 * i, true);
  return out;
}
