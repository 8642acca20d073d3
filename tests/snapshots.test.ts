// The shipped snapshot (public/snapshots/opening-gamma2.oplrun, made by our CLI): it decodes, it is the page's
// opening preset trained 30 epochs (settings, config, classes, step counts, embedding size all agree), and on the
// real data its state reproduces its own last evaluation and its embedding labels are the page's test subset's.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainer } from '../src/core';
import { selectSubset } from '../src/core/data/subset';
import { decodeRunFile, type SavedRun } from '../src/core/io/runFile';
import { loadDataDir } from '../src/cli/loadDataDir';
import { setupBackend } from '../src/cli/setupBackend';
import { defaultSettings } from '../src/ui/settings';
import { readRunSettings } from '../src/worker/runImport';
import { toTrainConfig } from '../src/worker/trainConfig';
import { REPO_ROOT, requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');
const SNAPSHOT = join(REPO_ROOT, 'public/snapshots/opening-gamma2.oplrun');
const EPOCHS = 30;

let run: SavedRun;
beforeAll(() => {
  run = decodeRunFile(readFileSync(SNAPSHOT));
});

describe('the shipped snapshot', () => {
  it('is small enough to ship', () => {
    expect(statSync(SNAPSHOT).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('is the page’s opening preset, trained longer, and its config is what the page would build from it', () => {
    // Read as the page reads a run file: settings newer than the file take their neutral values.
    const settings = readRunSettings(run);
    expect({ ...settings, backend: 'auto' }).toEqual({ ...defaultSettings(), epochs: EPOCHS });
    // Host or device batches are the same batches; the page picks by backend.
    const { batches: _batches, ...pageConfig } = toTrainConfig(settings, 'wasm');
    expect(run.config).toEqual(pageConfig);
    expect(run.config.runs.map((r) => r.name)).toEqual(['CE', 'CE + OPL']);
  });

  it('has consistent classes, step counts and embedding', () => {
    expect(run.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer']);
    expect(run.data).toEqual({ dataset: 'cifar10', trainCount: 5 * 150, testCount: 5 * 200 });
    const stepsPerEpoch = Math.floor(750 / 32);
    expect(run.totalSteps).toBe(stepsPerEpoch * EPOCHS);
    expect(run.state!.step).toBe(run.totalSteps);
    expect(run.history.progress.map((p) => p.step)).toEqual(Array.from({ length: run.totalSteps }, (_, i) => i + 1));
    expect(run.history.evaluations.map((e) => e.step)).toEqual(Array.from({ length: EPOCHS }, (_, e) => (e + 1) * stepsPerEpoch));
    const emb = run.embedding!;
    expect(emb.step).toBe(run.totalSteps);
    expect(emb.dim).toBe(4 * 8);
    expect(emb.labels.length).toBe(1000);
    expect(emb.features.map((f) => f.length)).toEqual([1000 * 32, 1000 * 32]);
  });

  it('is clearly trained, and CE + OPL has pushed different-class features apart', () => {
    const [ce, opl] = run.history.evaluations.at(-1)!.reports;
    expect(ce.accuracy).toBeGreaterThan(0.45); // chance is 0.2
    expect(opl.accuracy).toBeGreaterThan(0.45);
    expect(opl.meanDiffClassCos).toBeLessThan(ce.meanDiffClassCos);
  });
});

cifar10.describe('the shipped snapshot on the real data', () => {
  cifar10.it('its embedding labels are the page’s test subset, and its state reproduces its last evaluation', async () => {
    await setupBackend('wasm');
    const full = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
    const s = readRunSettings(run);
    // the page's subsets (src/worker/loadData.ts): both with the session's seed
    const data = {
      train: selectSubset(full.train, { classes: s.classes, perClass: s.trainPerClass, seed: s.seed }),
      test: selectSubset(full.test, { classes: s.classes, perClass: s.testPerClass, seed: s.seed }),
    };
    const emb = run.embedding!;
    expect(Array.from(emb.labels)).toEqual(Array.from(emb.indices, (i) => data.test.labels[i]));
    const trainer = createTrainer(run.config, data, { resumeFrom: run.state! });
    const reports = await trainer.evaluate();
    const saved = run.history.evaluations.at(-1)!.reports;
    reports.forEach((r, i) => {
      expect(r.accuracy).toBeCloseTo(saved[i].accuracy, 6);
      expect(r.meanDiffClassCos).toBeCloseTo(saved[i].meanDiffClassCos, 4);
    });
    const again = await trainer.embed(1000);
    expect(Array.from(again.indices)).toEqual(Array.from(emb.indices));
    trainer.dispose();
  });
});
