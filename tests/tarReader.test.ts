// Tests of the pure tar reader against archives written by the system's GNU tar (an independent writer):
// ustar, GNU and pax formats, long names, real CIFAR files, and truncated, corrupted and foreign bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar, TarFormatError } from '../src/core/data/tarReader';
import { errorMessage } from './helpers/errors';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');

let dir: string;
const LONG_FOLDER = `${'deep-folder-name-'.repeat(5)}x`; // with the file name, past tar's 100-byte name field

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tar-reader-'));
  mkdirSync(join(dir, 'src', LONG_FOLDER), { recursive: true });
  writeFileSync(join(dir, 'src', 'empty.txt'), '');
  writeFileSync(join(dir, 'src', 'odd.bin'), Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256));
  writeFileSync(join(dir, 'src', LONG_FOLDER, 'long-named-file.txt'), 'far down\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Archive `src/` with GNU tar in the given format and read it back. */
function archive(format: 'ustar' | 'gnu' | 'pax'): Uint8Array {
  const out = join(dir, `${format}.tar`);
  execFileSync('tar', ['--format', format, '-cf', out, '-C', dir, 'src']);
  return new Uint8Array(readFileSync(out));
}

const catchTarError = (bytes: Uint8Array): string => errorMessage(() => readTar(bytes), TarFormatError);

describe('readTar', () => {
  for (const format of ['gnu', 'pax'] as const) {
    it(`reads every regular file of a ${format} archive with its exact bytes, long names included`, () => {
      const entries = readTar(archive(format));
      const byName = new Map(entries.map((e) => [e.name, e.bytes]));
      expect([...byName.keys()].sort()).toEqual(['src/empty.txt', `src/${LONG_FOLDER}/long-named-file.txt`, 'src/odd.bin'].sort());
      expect(byName.get('src/empty.txt')?.length).toBe(0);
      expect(Array.from(byName.get('src/odd.bin') ?? [])).toEqual(Array.from(readFileSync(join(dir, 'src', 'odd.bin'))));
      expect(new TextDecoder().decode(byName.get(`src/${LONG_FOLDER}/long-named-file.txt`))).toBe('far down\n');
    });
  }

  it('joins the ustar prefix and name fields', () => {
    const entries = readTar(archive('ustar'));
    expect(entries.map((e) => e.name)).toContain(`src/${LONG_FOLDER}/long-named-file.txt`);
  });

  cifar10.it('reads a real CIFAR-10 file out of an archive byte for byte', () => {
    const out = join(dir, 'cifar.tar');
    execFileSync('tar', ['-cf', out, '-C', cifar10.dir, 'test.bin', 'labels.txt']);
    const entries = readTar(new Uint8Array(readFileSync(out)));
    const test = entries.find((e) => e.name === 'test.bin');
    expect(test && Buffer.from(test.bytes).equals(readFileSync(cifar10.path('test.bin')))).toBe(true);
  });

  it('refuses truncated archives', () => {
    const bytes = archive('gnu');
    const firstData = bytes.subarray(0, 512 + 300); // inside the first entry's data or header chain
    expect(catchTarError(firstData)).toMatch(/truncated|no entries/);
    expect(catchTarError(bytes.subarray(0, 700))).toMatch(/truncated/);
    expect(catchTarError(bytes.subarray(0, 100))).toMatch(/less than one 512-byte header/);
  });

  it('refuses a header with a flipped byte, and bytes that are not tar at all', () => {
    const bytes = archive('gnu').slice();
    bytes[10] ^= 0x55;
    expect(catchTarError(bytes)).toMatch(/checksum/);
    expect(catchTarError(new TextEncoder().encode('{"format":"opl-lab-run"}'.padEnd(2048, ' ')))).toMatch(/checksum/);
    expect(catchTarError(new Uint8Array(1024))).toMatch(/no entries/);
  });

  it('refuses more entries than asked for', () => {
    expect(() => readTar(archive('gnu'), { maxEntries: 2 })).toThrow(/more than 2 entries/);
  });

  it('never throws anything but TarFormatError on random bytes', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const real = archive('gnu');
    for (let trial = 0; trial < 300; trial++) {
      const bytes = trial % 2 ? Uint8Array.from({ length: 512 + (trial % 7) * 300 }, next) : real.slice();
      if (trial % 2 === 0) for (let k = 0; k < 4; k++) bytes[(next() * 13 + trial * 17) % bytes.length] = next();
      try {
        readTar(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(TarFormatError);
      }
    }
  });
});
