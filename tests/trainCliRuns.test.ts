// `npm run train` end to end on the real CIFAR-10 subset: --save-run, --csv, --export-model, --export-features
// write files that decode and load; --resume continues the curves to more epochs and refuses files that do not
// fit (exit 2, one line); a diverging run stops with exit 3 naming the run and the step, after saving.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, expect } from 'vitest';
import { decodeRunFile, encodeRunFile } from '../src/core/io/runFile';
import { HISTORY_CSV_COLUMNS } from '../src/core/io/exports';
import { setupBackend } from '../src/cli/setupBackend';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const tempRoot = mkdtempSync(join(tmpdir(), 'opl-trainruns-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

function runTrain(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lastLine: r.stderr.trim().split('\n').at(-1) ?? '' };
}

const tmp = (name: string) => join(tempRoot, name);
// 2 classes × 16 images, batch 8: 4 steps per epoch
const TINY = ['--classes', '2', '--train-per-class', '16', '--test-per-class', '10', '--width', '4', '--batch', '8', '--gamma', '2'];

cifar10.describe('train command: run files, exports, resume, divergence', () => {
  cifar10.it('saves the run and writes the CSV, the models and the projector files', async () => {
    const r = runTrain(['--data-dir', cifar10.dir, ...TINY, '--epochs', '2', '--save-run', tmp('run.oplrun'), '--csv', tmp('run.csv'),
      '--export-model', tmp('models'), '--export-features', tmp('features')]);
    expect(r.code, r.stderr).toBe(0);
    const run = decodeRunFile(readFileSync(tmp('run.oplrun')));
    expect(run.name).toBe('run');
    expect(run.classNames).toEqual(['airplane', 'automobile']);
    expect(run.data).toEqual({ dataset: 'cifar10', trainCount: 32, testCount: 20 });
    expect(run.totalSteps).toBe(8);
    expect(run.state!.step).toBe(8);
    expect(run.history.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(run.history.evaluations.map((e) => e.step)).toEqual([4, 8]);
    expect(run.settings).toMatchObject({ dataset: 'cifar10', classes: 2, trainPerClass: 16, testPerClass: 10, mode: 'compare', gamma: 2, batchSize: 8, epochs: 2 });
    expect(run.embedding!.labels.length).toBe(20); // every test image (fewer than 1000)
    expect(run.embedding!.features.map((f) => f.length)).toEqual([20 * 16, 20 * 16]);

    const csv = readFileSync(tmp('run.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(HISTORY_CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(1 + 8 * 2);

    for (const folder of ['ce', 'ce-opl']) {
      const tensors = readFileSync(tmp(`features/${folder}/tensors.tsv`), 'utf8').trimEnd().split('\n');
      expect(tensors).toHaveLength(20);
      expect(tensors[0].split('\t')).toHaveLength(16);
      expect(readFileSync(tmp(`features/${folder}/metadata.tsv`), 'utf8').split('\n')[0]).toBe('class\tlabel');
    }
    await setupBackend('wasm');
    const json = JSON.parse(readFileSync(tmp('models/ce-opl/model.json'), 'utf8'));
    const weightData = new Uint8Array(readFileSync(tmp('models/ce-opl/weights.bin'))).buffer;
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
    const logits = model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor;
    expect(logits.shape).toEqual([1, 2]);
    tf.dispose(logits);
    model.dispose();
  });

  cifar10.it('resumes the saved run to more epochs: the curves continue from where they stopped', () => {
    const r = runTrain(['--data-dir', cifar10.dir, '--resume', tmp('run.oplrun'), '--epochs', '3', '--save-run', tmp('more.oplrun')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('from step 8');
    const before = decodeRunFile(readFileSync(tmp('run.oplrun')));
    const after = decodeRunFile(readFileSync(tmp('more.oplrun')));
    expect(after.totalSteps).toBe(12);
    expect(after.state!.step).toBe(12);
    expect(after.settings.epochs).toBe(3);
    expect(after.history.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(after.history.progress.slice(0, 8)).toEqual(before.history.progress);
    expect(after.history.evaluations.map((e) => e.step)).toEqual([4, 8, 12]);
  });

  cifar10.it('refuses, with one line and status 2, run files that cannot be resumed here', () => {
    const good = readFileSync(tmp('run.oplrun'));
    const write = (name: string, bytes: Uint8Array) => (writeFileSync(tmp(name), bytes), tmp(name));
    const flipped = new Uint8Array(good);
    flipped[100] ^= 1;
    const edited = (change: (run: ReturnType<typeof decodeRunFile>) => void) => {
      const run = decodeRunFile(good);
      change(run);
      return encodeRunFile(run);
    };
    const cases: [string[], RegExp][] = [
      [['--resume', tmp('run.oplrun')], /is already at step 8 of 8; give a larger --epochs to continue it$/],
      [['--resume', write('flipped.oplrun', flipped), '--epochs', '3'], /flipped\.oplrun: an OPL Lab run file is corrupted \(checksum mismatch\)$/],
      [['--resume', write('cut.oplrun', good.subarray(0, 500)), '--epochs', '3'], /cut\.oplrun: an OPL Lab run file is truncated/],
      [['--resume', tmp('run.oplrun'), '--epochs', '3', '--lr', '0.5'], /--lr 0\.5 differs from the run file's 0\.1; leave it out to resume/],
      [['--resume', tmp('run.oplrun'), '--epochs', '3', '--gamma', '1'], /--gamma cannot be given with --resume/],
      [['--resume', write('classes.oplrun', edited((run) => (run.settings.classes = 3))), '--epochs', '3'], /was trained on the classes airplane, automobile; this data has airplane, automobile, bird$/],
      [['--resume', write('width.oplrun', edited((run) => (run.config.width = 8))), '--epochs', '3'], /width\.oplrun: saved state does not fit this run: weights tensor "stem\.conv" of run 0 has shape \[3,3,3,4\], the model has \[3,3,3,8\]$/],
      [['--resume', write('metrics.oplrun', edited((run) => (run.state = null))), '--epochs', '3'], /holds metrics only \(no trainer state\); it cannot be resumed$/],
    ];
    for (const [args, pattern] of cases) {
      const r = runTrain(['--data-dir', cifar10.dir, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.lastLine).toMatch(/^error: /);
      expect(r.lastLine).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  cifar10.it('stops a diverging run with status 3 and one line naming the run and the step, after saving what it has', () => {
    const r = runTrain(['--data-dir', cifar10.dir, ...TINY, '--epochs', '3', '--lr', '1e6', '--save-run', tmp('diverged.oplrun'), '--csv', tmp('diverged.csv')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.lastLine).toMatch(/^error: run 'CE( \+ OPL)?' diverged at step (\d+) \(NaN or infinite loss or weights\); try a lower --lr \(now 1000000\); saved .*diverged\.oplrun/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const step = Number(/diverged at step (\d+)/.exec(r.lastLine)![1]);
    const run = decodeRunFile(readFileSync(tmp('diverged.oplrun')));
    expect(run.history.progress.at(-1)!.step).toBe(step);
    if (run.state) expect(run.state.step).toBeLessThan(step); // only a checkpoint from before the divergence
    expect(readFileSync(tmp('diverged.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(1 + step * 2);
  });
});
