// `npm run bench` as a user runs it (a child process): --help documents every option, bad input exits 2 with
// one line, and a tiny wasm run prints the table and writes the promised JSON fields. Timings are not asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { findTorchPython } from '../src/cli/torchTwin';
import { buildResNet, createRng } from '../src/core';
import { REPO_ROOT } from './helpers/sharedData';

const tempRoot = mkdtempSync(join(tmpdir(), 'opl-benchcli-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function runBench(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bench.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OPTIONS = ['backends', 'batches', 'losses', 'model', 'width', 'warmup', 'steps', 'cpu-batch', 'cpu-steps', 'webgpu-width',
  'webgpu-batch', 'webgpu-steps', 'no-simd', 'no-torch', 'json', 'help'];

describe('bench command', () => {
  it('--help documents every option', () => {
    const r = runBench(['--help']);
    expect(r.code).toBe(0);
    for (const name of OPTIONS) expect(r.stdout).toContain(`--${name}`);
  });

  it.each([
    [['--backends', 'gpu'], /^error: --backends: 'gpu' is not one of wasm, cpu, webgpu$/],
    [['--losses', 'mse'], /^error: --losses: 'mse' is not one of ce, opl$/],
    [['--batches', '64,x'], /^error: --batches needs whole numbers ≥ 1 \(got 'x'\)$/],
    [['--steps', '0'], /^error: --steps must be at least 1 \(got 0\)$/],
  ])('rejects %j with status 2 and one line', (args, pattern) => {
    const r = runBench(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });

  it('times a tiny CE and CE + OPL workload on wasm and writes the JSON fields', () => {
    const json = join(tempRoot, 'bench.json');
    const r = runBench(['--batches', '4', '--width', '2', '--warmup', '0', '--steps', '3', '--no-torch', '--json', json]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resnet8 w2 batch 4 CE +wasm/);
    expect(r.stdout).toMatch(/CE \+ OPL vs CE, wasm batch 4/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.workloads).toHaveLength(2);
    for (const [i, loss] of (['ce', 'opl'] as const).entries()) {
      const w = out.workloads[i];
      expect(w).toMatchObject({ name: `resnet8-w2-b4-${loss}-wasm`, backend: 'wasm', batch: 4, loss, threads: 1 });
      expect(w.imgPerSec).toBeGreaterThan(0);
      expect(w.torchImgPerSec).toBeUndefined();
    }
    expect(out.oplLoggingForCe.ms).toBeGreaterThan(0);
  });

  const python = findTorchPython();
  it.skipIf(python == null)('the PyTorch twin has the same architecture (parameter count) as buildResNet', async () => {
    await tf.setBackend('cpu');
    for (const [model, width] of [['resnet8', 16], ['resnet20', 8]] as const) {
      const ours = buildResNet({ model, width, numClasses: 10 }, createRng(1));
      const r = spawnSync(python!, ['scripts/benchTorch.py', '--count-params', '--model', model, '--width', String(width)], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(Number(r.stdout.trim())).toBe(ours.countParams());
      ours.dispose();
    }
  });
});
