// A saved run reopened on the page: its summary, history and embedding become the same view the live panels
// draw; lines of different saved runs merge onto one chart by x.
import { describe, expect, it } from 'vitest';
import { computeSampleGeometry } from '../src/core/eval/sampleGeometry';
import type { EvalReport, StepMetrics } from '../src/core/trainer';
import { mergeLines } from '../src/ui/lib/compareSeries';
import { buildSavedView } from '../src/ui/savedView';
import { defaultSettings } from '../src/ui/settings';
import type { SavedRunSummary } from '../src/worker/runStore';

const metrics = (v: number): StepMetrics => ({ total: v, ce: v, opl: v, s: v, d: v, accuracy: v });
const report = (name: string, accuracy: number) => ({ name, accuracy }) as unknown as EvalReport;

const summary: SavedRunSummary = {
  id: 'run-1', name: 'first', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:01:00.000Z',
  settings: defaultSettings(), runNames: ['CE', 'CE + OPL'], classNames: ['a', 'b'],
  data: { dataset: 'cifar10', trainCount: 32, testCount: 16 }, stepsPerEpoch: 4, totalSteps: 12,
  step: 6, checkpointStep: 4, finished: false, accuracy: [0.5, 0.6],
};

describe('buildSavedView', () => {
  it('shows a saved run like a paused session: its data, curves, evaluations, loss marks and embedding', () => {
    const history = {
      progress: [1, 2, 3, 4, 5, 6].map((step) => ({ step, epoch: Math.floor((step - 1) / 4), lr: 0.05, metrics: [metrics(step), metrics(10 + step)] })),
      evaluations: [{ step: 4, epoch: 0, reports: [report('CE', 0.5), report('CE + OPL', 0.6)], trainAccuracy: [0.4, 0.45] }],
      lossChanges: [{ step: 2, loss: { gamma: 3, lambda: 1, absNegative: false } }],
    };
    const embedding = { step: 4, features: [new Float32Array(4), new Float32Array(4)], labels: new Int32Array(2), indices: Int32Array.from([3, 9]), dim: 2 };
    const view = buildSavedView({ summary, history, embedding });
    expect(view.phase).toBe('paused');
    expect(view.data).toMatchObject({ classNames: ['a', 'b'], trainCount: 32, testCount: 16, stepsPerEpoch: 4, totalSteps: 12, runNames: ['CE', 'CE + OPL'] });
    expect([view.step, view.epoch, view.lr]).toEqual([6, 1, 0.05]);
    expect(view.runs.map((r) => r.steps.length)).toEqual([6, 6]);
    expect(view.runs[1].steps[5]).toEqual({ step: 6, ...metrics(16) });
    expect(view.runs[1].evaluations).toEqual([{ step: 4, epochs: 1, train: 0.45, test: 0.6 }]);
    expect(view.runs[0].report?.accuracy).toBe(0.5);
    expect(view.lossMarks).toEqual([{ step: 2, gamma: 3, lambda: 1, absNegative: false }]);
    expect(view.embedding).toMatchObject({ step: 4, features: embedding.features, labels: embedding.labels, dim: 2 });
    expect(view.embedding?.geometry).toEqual(embedding.features.map((f) => computeSampleGeometry(f, embedding.labels, 2)));
    expect(view.embedding?.images).toBeUndefined();
    expect(buildSavedView({ summary: { ...summary, finished: true }, history, embedding: null }).phase).toBe('done');
  });
});

describe('mergeLines', () => {
  it('makes one row per distinct x, sorted, with a column per line only where it has a point', () => {
    const rows = mergeLines([
      { key: 'a', points: [{ x: 1, y: 0.1 }, { x: 2, y: 0.2 }] },
      { key: 'b', points: [{ x: 0.5, y: 0.3 }, { x: 2, y: 0.4 }] },
    ]);
    expect(rows).toEqual([{ x: 0.5, b: 0.3 }, { x: 1, a: 0.1 }, { x: 2, a: 0.2, b: 0.4 }]);
    expect(mergeLines([])).toEqual([]);
  });
});
