// `npm run train` as a user runs it (a child process): --help documents every option, bad input exits 2 with
// one line and no stack trace, and a tiny paired run on the real CIFAR-10 subset writes the promised JSON.
// Saving, resuming, exporting and diverging are in trainCliRuns.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const tempRoot = mkdtempSync(join(tmpdir(), 'opl-traincli-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function runTrain(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OPTIONS = ['dataset', 'data-dir', 'classes', 'train-per-class', 'test-per-class', 'model', 'width', 'loss', 'gamma', 'lambda',
  'abs-negative', 'epochs', 'batch', 'lr', 'seed', 'backend', 'json', 'save-run', 'resume', 'export-model', 'export-features', 'csv', 'help'];

describe('train command', () => {
  it('--help documents every option', () => {
    const r = runTrain(['--help']);
    expect(r.code).toBe(0);
    for (const name of OPTIONS) expect(r.stdout).toContain(`--${name}`);
  });

  it.each([
    [['--loss', 'mse'], /^error: --loss must be one of ce, opl, both \(got 'mse'\)$/],
    [['--gamma', 'abc'], /^error: --gamma must be a number \(got 'abc'\)$/],
    [['--epochs', '0'], /^error: --epochs must be at least 1 \(got 0\)$/],
    [['--batch', '3.5'], /^error: --batch must be a whole number \(got '3.5'\)$/],
    [['--nope'], /^error: unknown option --nope/],
    [['--seed'], /^error: --seed needs a value$/],
    [['--save-run', 'run.txt'], /^error: --save-run must name a \.oplrun file \(got 'run\.txt'\)$/],
    [['--save-run', 'no/such/folder/run.oplrun'], /^error: --save-run: the folder .*no\/such\/folder does not exist$/],
    [['--export-model', 'no/such/folder/models'], /^error: --export-model: the folder .*no\/such\/folder does not exist$/],
    [['--resume', 'missing.oplrun'], /^error: cannot read missing\.oplrun: no such file$/],
    [['--resume', 'run.json'], /^error: --resume must name a \.oplrun file/],
  ])('rejects %j with status 2 and one line', (args, pattern) => {
    const r = runTrain(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });

  it('a missing data folder is one clear line, status 1', () => {
    const r = runTrain(['--data-dir', join(tempRoot, 'nothing-here'), '--epochs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^error: .*npm run data/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  cifar10.it('trains CE and CE + OPL on real data and writes every metric and the final results', () => {
    const json = join(tempRoot, 'run.json');
    const r = runTrain(['--data-dir', cifar10.dir, '--classes', '2', '--train-per-class', '16', '--test-per-class', '10',
      '--width', '4', '--batch', '8', '--epochs', '2', '--gamma', '2', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test accuracy/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.runs.map((x: { name: string }) => x.name)).toEqual(['CE', 'CE + OPL']);
    expect(out.classNames).toEqual(['airplane', 'automobile']);
    for (const run of out.runs) {
      expect(run.steps).toHaveLength(8); // 2 epochs × 32/8 steps, logged every step
      expect(run.epochs).toHaveLength(2);
      for (const key of ['testAccuracy', 'meanSameClassCos', 'meanDiffClassCos', 'classMeanOffDiagCos']) {
        expect(Number.isFinite(run.final[key])).toBe(true);
      }
      expect(run.final.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(20);
      expect(Number.isFinite(run.steps[7].total)).toBe(true);
    }
    expect(out.runs[1].loss).toEqual({ kind: 'opl', gamma: 2, lambda: 1, absNegative: false });
    // paired: the first step's CE is the same batch through the same weights
    expect(out.runs[0].steps[0].ce).toBeCloseTo(out.runs[1].steps[0].ce, 5);
  });
});
