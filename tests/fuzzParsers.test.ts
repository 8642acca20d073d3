// Fuzzing the parsers that read what users hand us: thousands of random and mutated byte arrays at the run-file
// decoder and the CIFAR binary parser (only their own error classes may come out, inputs are bounded so nothing
// can hang), and thousands of random URL hashes at the settings parser (never throws, always in range).
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, CIFAR100_RECORD_BYTES, CifarFormatError, parseCifarBinary } from '../src/core/data/cifarBinary';
import { computeCrc32, packContainer } from '../src/core/io/container';
import { decodeRunFile, encodeRunFile, RUN_FILE_MAGIC, RunFileError } from '../src/core/io/runFile';
import { createRng, type Rng } from '../src/core/rng';
import { findUpperBound, parseSettingsHash, SETTINGS, SETTING_KEYS, type DataCatalog, type SettingSpec } from '../src/ui/settings';
import { makeRandomBytes, makeSmallSavedRun } from './helpers/savedRuns';

/** Run `parse`; anything it throws must be an `allowed`. Returns whether it accepted the input. */
function survives(parse: () => unknown, allowed: new (...args: never[]) => Error): boolean {
  try {
    parse();
    return true;
  } catch (err) {
    if (!(err instanceof allowed)) throw err;
    expect(err.message).not.toContain('\n');
    return false;
  }
}

/** A random edit of a byte array: flip bits, overwrite, insert, delete or cut. */
function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(5)) {
      case 0: out[at % out.length] ^= 1 << rng.int(8); break;
      case 1: out[at % out.length] = rng.int(256); break;
      case 2: out.splice(at, 0, ...makeRandomBytes(rng, 1 + rng.int(8))); break;
      case 3: out.splice(at, 1 + rng.int(8)); break;
      default: out.length = at;
    }
  }
  return Uint8Array.from(out);
}

/** Rewrite the trailing CRC so that a mutation reaches the JSON and blob checks instead of the checksum. */
function fixChecksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 4) return bytes;
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, computeCrc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** A random JSON-ish value for structural fuzzing of the run document. */
function randomValue(rng: Rng, depth = 0): unknown {
  const pick = rng.int(depth > 2 ? 7 : 9);
  switch (pick) {
    case 0: return null;
    case 1: return rng.next() < 0.5;
    case 2: return rng.int(20) - 5;
    case 3: return [Number.NaN, Number.POSITIVE_INFINITY, -1e308, 0.5, 1e9][rng.int(5)];
    case 4: return ['', 'x', 'opl-lab-run', '2026-01-01'][rng.int(4)];
    case 5: return new Float32Array(rng.int(5));
    case 6: return new Int32Array(rng.int(5)).map(() => rng.int(12) - 2);
    case 7: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(3) }, (_, i) => [`k${i}`, randomValue(rng, depth + 1)]));
  }
}

/** Replace one random field somewhere in a document (typed arrays count as leaves). */
function replaceRandomField(doc: unknown, rng: Rng): void {
  let node = doc as Record<string, unknown>;
  for (;;) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[rng.int(keys.length)];
    const child = node[key];
    const isContainer = typeof child === 'object' && child !== null && !ArrayBuffer.isView(child);
    if (!isContainer || rng.next() < 0.3) {
      node[key] = randomValue(rng);
      return;
    }
    node = child as Record<string, unknown>;
  }
}

describe('fuzz: run files', () => {
  const valid = encodeRunFile(makeSmallSavedRun());

  it('random byte arrays (with and without the magic) are RunFileErrors', () => {
    const rng = createRng(101);
    for (let i = 0; i < 1500; i++) {
      const bytes = makeRandomBytes(rng, rng.int(3000));
      if (i % 2 === 0 && bytes.length >= 8) bytes.set(RUN_FILE_MAGIC);
      expect(survives(() => decodeRunFile(bytes), RunFileError)).toBe(false);
    }
  });

  it('mutated valid files, with the checksum left or repaired, throw only RunFileError', () => {
    const rng = createRng(202);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const mutated = mutate(valid, rng);
      if (survives(() => decodeRunFile(i % 2 ? fixChecksum(mutated) : mutated), RunFileError)) accepted++;
    }
    expect(accepted).toBeLessThan(2000); // the decoder does refuse things
  });

  it('valid containers holding randomly altered documents throw only RunFileError', () => {
    const rng = createRng(303);
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const doc = makeSmallSavedRun();
      for (let k = 1 + rng.int(3); k > 0; k--) replaceRandomField(doc, rng);
      if (!survives(() => decodeRunFile(packContainer(RUN_FILE_MAGIC, 1, doc)), RunFileError)) refused++;
    }
    expect(refused).toBeGreaterThan(1000);
  });
});

describe('fuzz: CIFAR binary parser', () => {
  it('random and mutated byte arrays throw only CifarFormatError', () => {
    const rng = createRng(404);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const recordBytes = i % 2 ? CIFAR10_RECORD_BYTES : CIFAR100_RECORD_BYTES;
      // lengths near whole records (where the label checks run) as well as anywhere
      const length = rng.next() < 0.5 ? recordBytes * (1 + rng.int(3)) + (rng.next() < 0.3 ? rng.int(5) - 2 : 0) : rng.int(4 * recordBytes);
      const bytes = makeRandomBytes(rng, Math.max(0, length));
      if (rng.next() < 0.5) for (let r = 0; r + 1 < bytes.length; r += recordBytes) bytes.set([rng.int(20), rng.int(100)], r);
      const format = i % 2 ? 'cifar10' : 'cifar100';
      const ok = survives(() => parseCifarBinary(bytes, format, { labelKind: rng.next() < 0.5 ? 'fine' : 'coarse' }), CifarFormatError);
      if (ok) {
        parsed++;
        const records = parseCifarBinary(bytes, format);
        expect(records.count * recordBytes).toBe(bytes.length);
      }
    }
    expect(parsed).toBeGreaterThan(100); // the fuzzer also reaches the parsing path, not only the length check
  });
});

describe('fuzz: URL hash settings parser', () => {
  const catalogs: DataCatalog[] = [
    { cifar10: { classes: 10, trainPerClass: 1000, testPerClass: 200 } },
    { cifar10: { classes: 10, trainPerClass: 40, testPerClass: 5 }, cifar100: { classes: 100, trainPerClass: 500, testPerClass: 100 } },
    {},
  ];
  const pieces = ['=', '&', '#', '?', '%', '%2', '%zz', '%E2%82', '+', ' ', '.', 'e', 'E', '-', '1', '0', '9', 'NaN', 'Infinity', '1e999',
    '-1e999', 'abs', 'signed', 'true', 'cifar100', 'resnet20', 'webgpu', '\u0000', '\ud800', '😀', '__proto__', 'constructor'];
  const params = SETTING_KEYS.map((k) => SETTINGS[k].param);

  function randomHash(rng: Rng): string {
    const parts: string[] = [];
    for (let n = rng.int(12); n > 0; n--) {
      const name = rng.next() < 0.7 ? params[rng.int(params.length)] : pieces[rng.int(pieces.length)];
      let value = '';
      for (let k = rng.int(4); k > 0; k--) value += rng.next() < 0.7 ? pieces[rng.int(pieces.length)] : String.fromCharCode(rng.int(0x3000));
      if (rng.next() < 0.3) value = String((rng.next() - 0.3) * 10 ** rng.int(12));
      parts.push(rng.next() < 0.9 ? `${name}=${value}` : name);
    }
    const text = parts.join(rng.next() < 0.9 ? '&' : ';');
    return (rng.next() < 0.5 ? '#' : '') + (rng.next() < 0.02 ? text.repeat(1000) : text);
  }

  it('never throws and always returns settings inside the table’s ranges', () => {
    const rng = createRng(505);
    for (let i = 0; i < 4000; i++) {
      const catalog = catalogs[i % catalogs.length];
      const hash = randomHash(rng);
      const { settings, notices } = parseSettingsHash(hash, catalog);
      expect(Array.isArray(notices)).toBe(true);
      for (const key of SETTING_KEYS) {
        const spec = SETTINGS[key] as SettingSpec;
        const value = settings[key] as unknown;
        const where = `${key} from ${JSON.stringify(hash.slice(0, 200))}`;
        if (spec.kind === 'bool') expect(typeof value, where).toBe('boolean');
        else if (spec.kind === 'enum') {
          expect(spec.choices.map((c) => c.value), where).toContain(value);
          if (spec.available && spec.choices.some((c) => spec.available!(c.value as never, catalog))) expect(spec.available(value as never, catalog), where).toBe(true);
        } else {
          expect(typeof value === 'number' && Number.isFinite(value), where).toBe(true);
          expect(value as number, where).toBeGreaterThanOrEqual(spec.min);
          expect(value as number, where).toBeLessThanOrEqual(findUpperBound(spec, settings, catalog));
          if (spec.kind === 'int') expect(Number.isInteger(value), where).toBe(true);
        }
      }
    }
  });
});
