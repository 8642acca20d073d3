// The page's fold of the probe messages: a request shows as running with progress, its result or error replaces
// that, answers to superseded requests are ignored, and a new session clears the results of the old models.
import { describe, expect, it } from 'vitest';
import { applyTrainerMessage, clearSession, INITIAL_VIEW } from '../src/ui/trainerView';
import { startProbe } from '../src/ui/probeView';
import type { FromTrainer } from '../src/worker/protocol';

const fewShotResult = (id: number, meanAccuracy: number): FromTrainer => ({
  type: 'fewShotResult', id, step: 8, runNames: ['CE', 'CE + OPL'], novelClassNames: ['dog', 'frog'], novelCount: 600,
  request: { ways: 2, shots: 1, queries: 15, episodes: 10, classifier: 'centroid', poolPerClass: 300 },
  results: [0, 1].map(() => ({ ways: 2, shots: 1, episodes: 10, meanAccuracy, ci95: 0.01, accuracies: [] })),
});

describe('probe view', () => {
  it('goes running → progress → result, and ignores answers to an older request', () => {
    let v = { ...INITIAL_VIEW, probes: startProbe(INITIAL_VIEW.probes, 'fewShot', 1) };
    expect(v.probes.fewShot).toMatchObject({ id: 1, running: true, fraction: 0 });
    v = applyTrainerMessage(v, { type: 'probeProgress', probe: 'fewShot', id: 1, detail: 'CE: features', fraction: 0.4 });
    expect(v.probes.fewShot).toMatchObject({ running: true, detail: 'CE: features', fraction: 0.4 });
    v = applyTrainerMessage(v, fewShotResult(1, 0.6));
    expect(v.probes.fewShot.running).toBe(false);
    expect(v.probes.fewShot.result?.results[1].meanAccuracy).toBe(0.6);
    // a second request keeps the old result on screen until its own answer; a late answer to #1 changes nothing
    v = { ...v, probes: startProbe(v.probes, 'fewShot', 2) };
    v = applyTrainerMessage(v, fewShotResult(1, 0.9));
    expect(v.probes.fewShot).toMatchObject({ id: 2, running: true });
    expect(v.probes.fewShot.result?.results[0].meanAccuracy).toBe(0.6);
    v = applyTrainerMessage(v, { type: 'probeError', probe: 'fewShot', id: 2, message: 'too few novel classes' });
    expect(v.probes.fewShot).toMatchObject({ running: false, error: 'too few novel classes' });
    expect(v.probes.attack).toEqual(INITIAL_VIEW.probes.attack);
  });

  it('a new session clears the results but keeps the request ids', () => {
    let v = { ...INITIAL_VIEW, probes: startProbe(INITIAL_VIEW.probes, 'fewShot', 3) };
    v = applyTrainerMessage(v, fewShotResult(3, 0.5));
    const cleared = clearSession(v);
    expect(cleared.probes.fewShot).toEqual({ id: 3, running: false });
    expect(applyTrainerMessage(cleared, fewShotResult(3, 0.7)).probes.fewShot.result).toBeDefined();
  });
});
