// Exports: a trained model exported as a LayersModel loads with tf.loadLayersModel and gives our eval-mode logits
// on real CIFAR-10 images (raw pixels in, float32 tolerance); projector TSVs and the history CSV have the
// promised shape and content.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBatch, createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns, type Trainer } from '../src/core';
import { selectSubset } from '../src/core/data/subset';
import { IMAGE_BYTES, type DatasetSplit } from '../src/core/data/types';
import { exportLayersModel, historyToCsv, HISTORY_CSV_COLUMNS, toProjectorTsv } from '../src/core/io/exports';
import { loadDataDir } from '../src/cli/loadDataDir';
import { setupBackend } from '../src/cli/setupBackend';
import { makeSmallSavedRun } from './helpers/savedRuns';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');

cifar10.describe('LayersModel export (real CIFAR-10)', () => {
  let data: DatasetSplit;
  let trainer: Trainer;

  beforeAll(async () => {
    await setupBackend('wasm');
    const full = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
    data = { train: selectSubset(full.train, { classes: 4, perClass: 24, seed: 1 }), test: selectSubset(full.test, { classes: 4, perClass: 8, seed: 2 }) };
    // resnet14 so that blocks without a shortcut are exported too; a few steps so BN running stats are not 0/1
    trainer = createTrainer({ ...DEFAULT_TRAIN_CONFIG, model: 'resnet14', width: 4, batchSize: 16, epochs: 1, lr: 0.05, runs: pairedRuns({ gamma: 2 }) }, data);
    for (;;) if ((await trainer.step()).done) break;
  });

  it('loads with tf.loadLayersModel and reproduces our eval-mode logits from raw pixels', async () => {
    const model = trainer.models[1];
    const before = tf.memory().numTensors;
    const { modelJson, weightData } = await exportLayersModel(model, { classNames: data.train.classNames, stats: trainer.stats });
    expect(tf.memory().numTensors).toBe(before);
    const json = JSON.parse(JSON.stringify(modelJson)); // as it would come from a model.json file
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.userDefinedMetadata.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat']);
    const bufferCount = model.buffers.reduce((n, b) => n + b.size, 0);
    expect(weightData.byteLength).toBe(4 * (model.countParams() + bufferCount + 4 * 3)); // + the normalising layer

    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
    const count = data.test.count;
    const indices = Int32Array.from({ length: count }, (_, i) => i);
    const raw = tf.tensor4d(Float32Array.from(data.test.images.subarray(0, count * IMAGE_BYTES)), [count, 32, 32, 3]);
    const normalised = tf.tensor4d(assembleBatch(data.test, indices, trainer.stats), [count, 32, 32, 3]);
    const theirs = loaded.predict(raw) as tf.Tensor2D;
    const ours = model.apply(normalised, false);
    const [a, b] = await Promise.all([theirs.data(), ours.logits.data()]);
    tf.dispose([raw, normalised, theirs, ours.features, ours.logits]);
    loaded.dispose();
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < b.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    expect(scale).toBeGreaterThan(0.1);
    // float32 rounds at ~1.2e-7; a few dozen layers of rounding in both models stay within ~100 units of it
    expect(worst / scale).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses class names that do not match the model', async () => {
    await expect(exportLayersModel(trainer.models[0], { classNames: ['a'], stats: trainer.stats })).rejects.toThrow(/1 class names for 4 classes/);
  });
});

describe('Embedding Projector TSV', () => {
  it('writes one row of dim numbers per point that read back as the same float32, and a class per point', () => {
    const features = Float32Array.from([0.1, -2.5, 1e-8, 3, Math.PI, 0]);
    const { tensorsTsv, metadataTsv } = toProjectorTsv(features, 2, Int32Array.from([1, 0, 1]), ['cat', 'dog\twith tab']);
    const rows = tensorsTsv.trimEnd().split('\n').map((r) => r.split('\t'));
    expect(rows).toHaveLength(3);
    rows.forEach((r) => expect(r).toHaveLength(2));
    expect(Float32Array.from(rows.flat().map(Number))).toEqual(features);
    expect(rows[0][0]).toBe('0.1'); // shortest float32 text, not 0.10000000149011612
    expect(metadataTsv).toBe('class\tlabel\ndog with tab\t1\ncat\t0\ndog with tab\t1\n');
  });

  it('refuses lengths that do not fit count × dim and labels without a name', () => {
    expect(() => toProjectorTsv(new Float32Array(5), 2, Int32Array.from([0, 1, 0]), ['a', 'b'])).toThrow(/5 values are not 3 points × 2 dimensions/);
    expect(() => toProjectorTsv(new Float32Array(2), 2, Int32Array.from([2]), ['a', 'b'])).toThrow(/label 2 of point 0 has no class name/);
  });
});

describe('history CSV', () => {
  it('has one row per step and run, training and test metrics in their columns', () => {
    const { history } = makeSmallSavedRun();
    const csv = historyToCsv(history, ['CE', 'CE + OPL, γ 2']);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(HISTORY_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 2 * 2); // steps 4 and 8, two runs
    const parse = (line: string) => line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')).slice(0, HISTORY_CSV_COLUMNS.length);
    const rows = lines.slice(1).map(parse);
    rows.forEach((r) => expect(r).toHaveLength(HISTORY_CSV_COLUMNS.length));
    const col = (name: (typeof HISTORY_CSV_COLUMNS)[number]) => HISTORY_CSV_COLUMNS.indexOf(name);
    expect(rows.map((r) => [r[col('step')], r[col('run')]])).toEqual([['4', 'CE'], ['4', '"CE + OPL, γ 2"'], ['8', 'CE'], ['8', '"CE + OPL, γ 2"']]);
    expect(rows[1][col('test_accuracy')]).toBe('0.6');
    expect(rows[1][col('train_accuracy')]).toBe('0.45');
    expect(rows[0][col('total')]).toBe('1.5');
    expect(rows[2][col('total')]).toBe('Infinity');
    expect(rows[2][col('test_accuracy')]).toBe(''); // no evaluation at step 8
    expect(rows[3][col('lr')]).toBe('0.02');
  });

  it('refuses a run-name list that does not match the metrics', () => {
    expect(() => historyToCsv(makeSmallSavedRun().history, ['CE'])).toThrow(/metrics for 2 runs, not 1/);
  });
});
