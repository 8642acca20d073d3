// The settings table: every setting survives the URL round trip, and every kind of malformed link is
// corrected (clamped or defaulted) with a notice instead of breaking the page.
import { describe, expect, it } from 'vitest';
import type { LabSettings } from '../src/worker/protocol';
import { PRESETS, findActivePreset, mergePreset } from '../src/ui/presets';
import {
  countTrainingImages,
  MAX_HASH_LENGTH,
  SETTINGS,
  SETTING_KEYS,
  constrainSettings,
  defaultSettings,
  describeChoice,
  parseSettingsHash,
  serializeSettings,
  updateSetting,
  type DataCatalog,
} from '../src/ui/settings';

const CIFAR10_ONLY: DataCatalog = { cifar10: { classes: 10, trainPerClass: 1000, testPerClass: 200 } };
const BOTH: DataCatalog = { ...CIFAR10_ONLY, cifar100: { classes: 100, trainPerClass: 500, testPerClass: 100 } };

const hashWith = (changes: Record<string, string>) => {
  const params = new URLSearchParams(serializeSettings(defaultSettings()));
  for (const [k, v] of Object.entries(changes)) params.set(k, v);
  return `#${params}`;
};

describe('the table', () => {
  it('covers every LabSettings key with a unique URL name and a default inside its range', () => {
    const params = SETTING_KEYS.map((k) => SETTINGS[k].param);
    expect(new Set(params).size).toBe(params.length);
    const { settings, notices } = constrainSettings(defaultSettings(), CIFAR10_ONLY);
    expect(notices).toEqual([]);
    expect(settings).toEqual(defaultSettings());
  });

  it('opens with γ = 2, λ = 1 (the preset that shows orthogonality at short horizons)', () => {
    expect(defaultSettings().gamma).toBe(2);
    expect(defaultSettings().lambda).toBe(1);
  });

  it('has presets that are valid as they are, including the README defaults γ = 0.5, λ = 1', () => {
    for (const preset of PRESETS) {
      const { notices } = constrainSettings(preset.settings, BOTH);
      expect(notices, preset.id).toEqual([]);
      expect(Object.keys(preset.settings).sort()).toEqual([...SETTING_KEYS].sort());
    }
    const readme = PRESETS.find((p) => p.id === 'readme-defaults')!;
    expect([readme.settings.gamma, readme.settings.lambda]).toEqual([0.5, 1]);
    const tiny = PRESETS.find((p) => p.id === 'tiny')!.settings;
    expect([tiny.classes, tiny.trainPerClass, tiny.width, tiny.batchSize, tiny.epochs]).toEqual([2, 16, 4, 8, 1]);
    expect(PRESETS.find((p) => p.id === 'cifar100')!.available(CIFAR10_ONLY)).toBe(false);
  });

  it('name enum choices as the form does', () => {
    expect(describeChoice('dataset', 'cifar10')).toBe('CIFAR-10');
    expect(describeChoice('backend', 'wasm')).toBe('WASM (CPU)');
    expect(describeChoice('dataset', 'mnist')).toBe('mnist');
  });

  it('keep the backend in use when picked, and are recognised whatever the backend', () => {
    const tiny = PRESETS.find((p) => p.id === 'tiny')!;
    const onWasm = { ...defaultSettings(), backend: 'wasm' as const, gamma: 3 };
    const picked = mergePreset(tiny, onWasm);
    expect(picked).toEqual({ ...tiny.settings, backend: 'wasm' });
    expect(findActivePreset(PRESETS, picked)?.id).toBe('tiny');
    expect(findActivePreset(PRESETS, { ...defaultSettings(), backend: 'webgpu' })?.id).toBe('one-minute');
    expect(findActivePreset(PRESETS, onWasm)).toBeUndefined();
  });
});

describe('URL round trip', () => {
  it('reproduces every setting, seed included', () => {
    const custom: LabSettings = {
      dataset: 'cifar100', classes: 37, trainPerClass: 123, testPerClass: 17, labelNoise: 0.35, noiseKind: 'pairflip', imbalance: 7.5, model: 'resnet20', width: 12,
      batchSize: 100, lr: 0.0123, epochs: 7, seed: 2147483647, mode: 'opl', gamma: 1.35, lambda: 0.3,
      absNegative: true, backend: 'wasm', logEvery: 5, embedCount: 777, attackMethod: 'pgd', attackEpsilon: 3, attackCount: 430,
      fewShotWays: 7, fewShotShots: 4, fewShotEpisodes: 90, fewShotClassifier: 'logistic',
    };
    const hash = serializeSettings(custom);
    expect(hash).toContain('seed=2147483647');
    expect(hash).toContain('noise=0.35&noisekind=pairflip');
    const back = parseSettingsHash(`#${hash}`, BOTH);
    expect(back.notices).toEqual([]);
    expect(back.settings).toEqual(custom);
    expect(serializeSettings(back.settings)).toBe(hash);
  });

  it('round-trips every preset and awkward floats exactly', () => {
    for (const preset of PRESETS) expect(parseSettingsHash(serializeSettings(preset.settings), BOTH).settings).toEqual(preset.settings);
    const s = { ...defaultSettings(), gamma: 0.1 + 0.2, lr: 1e-4 };
    expect(parseSettingsHash(serializeSettings(s), BOTH).settings).toEqual(s);
  });

  it('gives the defaults, silently, for an empty hash or a hash that leaves settings out', () => {
    expect(parseSettingsHash('', CIFAR10_ONLY)).toEqual({ settings: defaultSettings(), notices: [] });
    expect(parseSettingsHash('#', CIFAR10_ONLY)).toEqual({ settings: defaultSettings(), notices: [] });
    expect(parseSettingsHash('#gamma=0.5', CIFAR10_ONLY)).toEqual({ settings: { ...defaultSettings(), gamma: 0.5 }, notices: [] });
    expect(parseSettingsHash('#?gamma=0.5', CIFAR10_ONLY).settings.gamma).toBe(0.5);
  });
});

describe('malformed links are corrected with a notice', () => {
  const expectFixed = (hash: string, expected: Partial<LabSettings>, noticeMatch: RegExp, catalog = CIFAR10_ONLY) => {
    const { settings, notices } = parseSettingsHash(hash, catalog);
    expect(settings).toEqual({ ...defaultSettings(), ...expected });
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.join('\n')).toMatch(noticeMatch);
    expect(constrainSettings(settings, catalog).notices).toEqual([]);
  };

  it('garbage', () => {
    expectFixed('#%%%zz!!', {}, /unknown setting/);
    expectFixed('#/some/path?x', {}, /unknown setting/);
    expectFixed('#\u0000\uffff', {}, /unknown setting/);
  });

  it('unknown keys (listed, the known ones still read)', () => {
    const { settings, notices } = parseSettingsHash('#gamma=1.5&foo=1&bar=2', CIFAR10_ONLY);
    expect(settings.gamma).toBe(1.5);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/2 unknown settings.*foo.*bar/);
  });

  it('NaN, Infinity, empty and non-decimal numbers', () => {
    expectFixed(hashWith({ gamma: 'NaN' }), {}, /γ.*not a number.*using 2/);
    expectFixed(hashWith({ lr: 'Infinity' }), {}, /Learning rate.*not a number/);
    expectFixed(hashWith({ seed: '' }), {}, /Seed.*not a number/);
    expectFixed(hashWith({ width: '0x10' }), {}, /Width.*not a number/);
    expectFixed(hashWith({ lambda: '1e400' }), { lambda: 4 }, /λ.*above the maximum 4/);
  });

  it('out of range: clamped to the nearest bound', () => {
    expectFixed(hashWith({ gamma: '99' }), { gamma: 4 }, /above the maximum 4/);
    expectFixed(hashWith({ lambda: '-3' }), { lambda: 0 }, /below the minimum 0/);
    expectFixed(hashWith({ epochs: '100000' }), { epochs: 200 }, /Epochs/);
    expectFixed(hashWith({ seed: '-1' }), { seed: 0 }, /Seed/);
  });

  it('limits that depend on the data and on other settings', () => {
    expectFixed(hashWith({ classes: '50' }), { classes: 10 }, /Classes.*maximum 10 for this data/);
    expectFixed(hashWith({ train: '4000' }), { trainPerClass: 1000 }, /Training images per class/);
    expectFixed(hashWith({ classes: '2', train: '4', batch: '64' }), { classes: 2, trainPerClass: 4, batchSize: 8 }, /Batch size.*maximum 8/);
  });

  it('whole numbers are rounded', () => {
    expectFixed(hashWith({ classes: '3.6' }), { classes: 4 }, /not a whole number/);
  });

  it('wrong enum values fall back to the default', () => {
    expectFixed(hashWith({ mode: 'both' }), {}, /Runs.*not one of compare, ce, opl/);
    expectFixed(hashWith({ model: 'resnet56' }), {}, /Model/);
    expectFixed(hashWith({ backend: 'cuda' }), {}, /Backend/);
    expectFixed(hashWith({ d: 'maybe' }), {}, /d variant.*signed or abs/);
  });

  it('a data set this server has not prepared', () => {
    expectFixed(hashWith({ data: 'cifar100', classes: '20', test: '20' }), { classes: 10, testPerClass: 20 }, /CIFAR-100 is not available.*Classes/s);
    expect(parseSettingsHash(hashWith({ data: 'cifar100', classes: '20', test: '20' }), BOTH).notices).toEqual([]);
  });

  it('huge strings: a huge value is echoed shortened, a huge hash is dropped', () => {
    const huge = 'x'.repeat(3000);
    const { notices } = parseSettingsHash(`#gamma=${huge}`, CIFAR10_ONLY);
    expect(notices[0].length).toBeLessThan(200);
    const { settings, notices: tooLong } = parseSettingsHash(`#seed=${'9'.repeat(MAX_HASH_LENGTH + 1)}`, CIFAR10_ONLY);
    expect(settings).toEqual(defaultSettings());
    expect(tooLong[0]).toMatch(/characters long/);
    expectFixed(`#seed=${'9'.repeat(400)}`, { seed: 2147483647 }, /Seed.*above the maximum/);
  });

  it('repeated keys: the last one wins, with a notice', () => {
    expectFixed('#gamma=1&gamma=3', { gamma: 3 }, /more than once/);
  });

  it('boolean spellings', () => {
    expect(parseSettingsHash('#d=abs', CIFAR10_ONLY).settings.absNegative).toBe(true);
    expect(parseSettingsHash('#d=1', CIFAR10_ONLY).settings.absNegative).toBe(true);
    expect(parseSettingsHash('#d=signed', CIFAR10_ONLY).settings.absNegative).toBe(false);
  });
});

describe('form edits', () => {
  it('clamp the edited value and re-check what depends on it', () => {
    const start = { ...defaultSettings(), dataset: 'cifar100' as const, classes: 40 };
    const { settings, notices } = updateSetting(start, 'dataset', 'cifar10', BOTH);
    expect(settings.classes).toBe(10);
    expect(notices.join()).toMatch(/Classes/);
    expect(updateSetting(defaultSettings(), 'gamma', '0.75', BOTH)).toEqual({ settings: { ...defaultSettings(), gamma: 0.75 }, notices: [] });
    expect(updateSetting(defaultSettings(), 'gamma', 'abc', BOTH).settings.gamma).toBe(2);
  });
});

describe('defaults under data limits', () => {
  it('a non-number falls back to the default clamped to what the data offers (found by the hash fuzzer)', () => {
    const small: DataCatalog = { cifar10: { classes: 10, trainPerClass: 40, testPerClass: 5 } };
    const { settings, notices } = parseSettingsHash('#train=abs&test=x', small);
    expect(settings.trainPerClass).toBe(40);
    expect(settings.testPerClass).toBe(5);
    expect(notices.join(' ')).toMatch(/“abs” is not a number; using 40\./);
  });
});
describe('label noise and long-tail settings', () => {
  it('clamp with a notice and bound the batch by the long tail\'s total', () => {
    const r = parseSettingsHash('#noise=2&noisekind=flip&imbalance=10&classes=5&train=20&batch=64', CIFAR10_ONLY);
    expect(r.settings.labelNoise).toBe(0.9);
    expect(r.settings.noiseKind).toBe('symmetric');
    expect(r.settings.imbalance).toBe(10);
    expect(countTrainingImages(r.settings)).toBe(20 + 11 + 6 + 4 + 2);
    expect(r.settings.batchSize).toBe(43);
    expect(r.notices.join(' ')).toMatch(/Label noise \(fraction flipped\): 2 is above the maximum 0\.9/);
    expect(r.notices.join(' ')).toMatch(/Label noise kind: “flip” is not one of symmetric, pairflip/);
  });
});

