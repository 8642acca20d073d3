// The one table of every setting of the lab: type, default, range or choices, label, and whether it lives in
// the URL hash. Parsing, clamping, the form and the URL all read this table (after tensorflow/playground's
// State.PROPS); `LabSettings` in the protocol is what it produces. The defaults are the opening preset.
import { computeLongTailCounts } from '../core/data/imbalance';
import { SETTINGS_ADDED_LATER, type LabSettings } from '../worker/protocol';
import { shorten } from './lib/format';

export type SettingKey = keyof LabSettings;
export type DatasetName = LabSettings['dataset'];
/** 'probe' settings are drawn by the Robustness and Few-shot panels, not the sidebar. */
export type SettingGroup = 'loss' | 'data' | 'model' | 'training' | 'system' | 'probe';

/** What a prepared data set offers (from its manifest); bounds the data settings. */
export interface DatasetLimits {
  classes: number;
  trainPerClass: number;
  testPerClass: number;
}

/** The data sets this server has prepared. A missing entry means the data set cannot be chosen. */
export type DataCatalog = Partial<Record<DatasetName, DatasetLimits>>;

/** What `npm run data` prepares by default; used when the manifest cannot be read. */
export const FALLBACK_CATALOG: DataCatalog = { cifar10: { classes: 10, trainPerClass: 1000, testPerClass: 200 } };

interface SpecBase {
  label: string;
  /** One line for the form's hint and the notices. */
  help: string;
  group: SettingGroup;
  /** Name in the URL hash. */
  param: string;
  /** Whether the setting is written to and read from the URL hash. */
  inUrl: boolean;
}

export interface NumberSpec extends SpecBase {
  kind: 'number' | 'int';
  default: number;
  min: number;
  max: number;
  /** Step of the form control. */
  step: number;
  /** Draw as a slider with a numeric field. */
  slider?: boolean;
  /** A tighter upper bound that depends on other settings and on the prepared data. */
  limit?: (settings: LabSettings, catalog: DataCatalog) => number | undefined;
}

export interface EnumSpec<T extends string> extends SpecBase {
  kind: 'enum';
  default: T;
  choices: ReadonlyArray<{ value: T; label: string }>;
  /** Whether a choice can be used with the prepared data (all can when omitted). */
  available?: (value: T, catalog: DataCatalog) => boolean;
}

export interface BoolSpec extends SpecBase {
  kind: 'bool';
  default: boolean;
  /** URL spelling of [false, true]. */
  urlValues: readonly [string, string];
  /** Form labels of [false, true]. */
  labels: readonly [string, string];
}

// Wrapped in [] so that union types (e.g. 'cifar10' | 'cifar100') map to one EnumSpec, not a union of them.
type SpecOf<T> = [T] extends [boolean] ? BoolSpec : [T] extends [number] ? NumberSpec : [T] extends [string] ? EnumSpec<T> : never;
export type SettingsTable = { [K in SettingKey]: SpecOf<LabSettings[K]> };
export type SettingSpec = SettingsTable[SettingKey];

const limitOf = (s: LabSettings, c: DataCatalog) => c[s.dataset];

/** Training images a session has: classes × images per class, or the long tail's total when ρ > 1. */
export function countTrainingImages(s: Pick<LabSettings, 'classes' | 'trainPerClass' | 'imbalance'>): number {
  if (!(s.imbalance > 1)) return s.classes * s.trainPerClass;
  return computeLongTailCounts(s.trainPerClass, s.classes, s.imbalance).reduce((a, b) => a + b, 0);
}

/**
 * Every setting, in the order the URL and the form use. Order matters for clamping: a setting's limit may
 * depend only on settings above it (classes on the data set, batch size on classes x images per class).
 */
export const SETTINGS: SettingsTable = {
  mode: {
    kind: 'enum', param: 'mode', inUrl: true, group: 'loss', label: 'Runs', default: 'compare',
    help: 'Train CE and CE + OPL side by side (same initial weights, same batches), or one run alone.',
    choices: [
      { value: 'compare', label: 'Compare: CE vs CE + OPL' },
      { value: 'ce', label: 'CE only' },
      { value: 'opl', label: 'CE + OPL only' },
    ],
  },
  gamma: {
    kind: 'number', param: 'gamma', inUrl: true, group: 'loss', label: 'γ (weight of d inside OPL)', default: 2,
    min: 0, max: 4, step: 0.05, slider: true,
    help: 'OPL = (1 − s) + γ·d. Below 1, collapsing every feature together still lowers OPL; above 1 it does not.',
  },
  lambda: {
    kind: 'number', param: 'lambda', inUrl: true, group: 'loss', label: 'λ (weight of OPL)', default: 1,
    min: 0, max: 4, step: 0.05, slider: true,
    help: 'The objective is CE + λ·OPL. λ = 0 trains with CE alone while still logging OPL.',
  },
  absNegative: {
    kind: 'bool', param: 'd', inUrl: true, group: 'loss', label: 'd variant', default: false,
    urlValues: ['signed', 'abs'],
    labels: ['signed mean cosine (reference loss.py)', 'mean |cosine| (paper equation)'],
    help: 'How d averages different-class cosines. On post-ReLU features every cosine is ≥ 0, so both agree.',
  },
  dataset: {
    kind: 'enum', param: 'data', inUrl: true, group: 'data', label: 'Data set', default: 'cifar10',
    choices: [
      { value: 'cifar10', label: 'CIFAR-10' },
      { value: 'cifar100', label: 'CIFAR-100' },
    ],
    available: (value, catalog) => catalog[value] !== undefined,
    help: 'Real CIFAR images prepared by npm run data (CIFAR-100 only from files you provide).',
  },
  classes: {
    kind: 'int', param: 'classes', inUrl: true, group: 'data', label: 'Classes', default: 5,
    min: 2, max: 100, step: 1, limit: (s, c) => limitOf(s, c)?.classes,
    help: 'The first N classes of the data set.',
  },
  trainPerClass: {
    kind: 'int', param: 'train', inUrl: true, group: 'data', label: 'Training images per class', default: 150,
    min: 2, max: 5000, step: 10, limit: (s, c) => limitOf(s, c)?.trainPerClass,
    help: 'A seeded, class-balanced subset of the training set.',
  },
  testPerClass: {
    kind: 'int', param: 'test', inUrl: true, group: 'data', label: 'Test images per class', default: 200,
    min: 1, max: 1000, step: 10, limit: (s, c) => limitOf(s, c)?.testPerClass,
    help: 'Accuracy and the feature-space numbers are measured on these.',
  },
  imbalance: {
    kind: 'number', param: 'imbalance', inUrl: true, group: 'data', label: 'Long tail ρ (largest / smallest class)', default: SETTINGS_ADDED_LATER.imbalance,
    min: 1, max: 100, step: 1,
    help: 'Class c keeps n·ρ^(−c/(K−1)) training images: 1 is balanced, 10 leaves the last class a tenth. Test stays balanced.',
  },
  labelNoise: {
    kind: 'number', param: 'noise', inUrl: true, group: 'data', label: 'Label noise (fraction flipped)', default: SETTINGS_ADDED_LATER.labelNoise,
    min: 0, max: 0.9, step: 0.05, slider: true,
    help: 'Exactly this fraction of training labels, chosen by the seed, is changed to a wrong class. Test labels stay clean.',
  },
  noiseKind: {
    kind: 'enum', param: 'noisekind', inUrl: true, group: 'data', label: 'Label noise kind', default: SETTINGS_ADDED_LATER.noiseKind,
    choices: [
      { value: 'symmetric', label: 'Symmetric (any other class)' },
      { value: 'pairflip', label: 'Pair-flip (class c → c + 1)' },
    ],
    help: 'Symmetric: a flipped label goes to a uniformly chosen other class. Pair-flip: always to the next class.',
  },
  model: {
    kind: 'enum', param: 'model', inUrl: true, group: 'model', label: 'Model', default: 'resnet8',
    choices: [
      { value: 'resnet8', label: 'ResNet-8 (1 block per stage)' },
      { value: 'resnet14', label: 'ResNet-14 (2 blocks per stage)' },
      { value: 'resnet20', label: 'ResNet-20 (3 blocks per stage)' },
    ],
    help: 'CIFAR ResNet with three stages; the features are the pooled vector before the last layer.',
  },
  width: {
    kind: 'int', param: 'width', inUrl: true, group: 'model', label: 'Width (stage-1 channels)', default: 8,
    min: 2, max: 64, step: 2,
    help: 'Channels of the three stages are w, 2w, 4w; features have 4w dimensions. The reference uses 16.',
  },
  batchSize: {
    kind: 'int', param: 'batch', inUrl: true, group: 'training', label: 'Batch size', default: 32,
    min: 2, max: 512, step: 1, limit: (s) => countTrainingImages(s),
    help: 'OPL compares every pair in a batch, so a batch needs a few images of each class.',
  },
  lr: {
    kind: 'number', param: 'lr', inUrl: true, group: 'training', label: 'Learning rate', default: 0.05,
    min: 0.0001, max: 1, step: 0.005,
    help: 'Peak SGD learning rate (momentum 0.9, weight decay 5e-4, one epoch of warm-up).',
  },
  epochs: {
    kind: 'int', param: 'epochs', inUrl: true, group: 'training', label: 'Epochs', default: 4,
    min: 1, max: 200, step: 1,
    help: 'Passes over the training subset; the test set is evaluated after each.',
  },
  seed: {
    kind: 'int', param: 'seed', inUrl: true, group: 'training', label: 'Seed', default: 1,
    min: 0, max: 2147483647, step: 1,
    help: 'One seed for the subsets, the initial weights, the batch order and the augmentation.',
  },
  backend: {
    kind: 'enum', param: 'backend', inUrl: true, group: 'system', label: 'Backend', default: 'auto',
    choices: [
      { value: 'auto', label: 'Auto (WebGPU, then WebGL, then WASM)' },
      { value: 'webgpu', label: 'WebGPU' },
      { value: 'webgl', label: 'WebGL' },
      { value: 'wasm', label: 'WASM (CPU)' },
    ],
    help: 'Where the tensors live. Auto falls back when a backend fails and says why.',
  },
  logEvery: {
    kind: 'int', param: 'log', inUrl: true, group: 'system', label: 'Read metrics every k steps', default: 1,
    min: 1, max: 100, step: 1,
    help: 'Each read-back waits for the GPU; larger k trains faster with coarser curves.',
  },
  embedCount: {
    kind: 'int', param: 'embed', inUrl: true, group: 'system', label: 'Test images in the feature map', default: 1000,
    min: 10, max: 2000, step: 10,
    help: 'Embedded after each epoch for the feature map, the sample matrix and the histogram.',
  },
  attackMethod: {
    kind: 'enum', param: 'attack', inUrl: true, group: 'probe', label: 'Attack', default: SETTINGS_ADDED_LATER.attackMethod,
    choices: [
      { value: 'fgsm', label: 'FGSM (one step)' },
      { value: 'pgd', label: 'PGD (7 steps, random start)' },
    ],
    help: 'FGSM moves every pixel by ε along the sign of the loss gradient; PGD takes smaller steps and stays within ε.',
  },
  attackEpsilon: {
    kind: 'int', param: 'eps', inUrl: true, group: 'probe', label: 'ε (in 1/255 pixel steps)', default: SETTINGS_ADDED_LATER.attackEpsilon,
    min: 0, max: 32, step: 1, slider: true,
    help: 'The largest change of any pixel, in steps of 1/255; 8 (= 8/255) is the usual CIFAR setting.',
  },
  attackCount: {
    kind: 'int', param: 'attackN', inUrl: true, group: 'probe', label: 'Test images attacked', default: SETTINGS_ADDED_LATER.attackCount,
    min: 10, max: 2000, step: 10,
    help: 'A seeded sample of the test subset, the same images for both runs.',
  },
  fewShotWays: {
    kind: 'int', param: 'ways', inUrl: true, group: 'probe', label: 'Ways (classes per episode)', default: SETTINGS_ADDED_LATER.fewShotWays,
    min: 2, max: 50, step: 1,
    help: 'N in N-way K-shot: how many novel classes each episode tells apart.',
  },
  fewShotShots: {
    kind: 'int', param: 'shots', inUrl: true, group: 'probe', label: 'Shots (labelled images per class)', default: SETTINGS_ADDED_LATER.fewShotShots,
    min: 1, max: 50, step: 1,
    help: 'K in N-way K-shot: the support images per class the classifier learns from.',
  },
  fewShotEpisodes: {
    kind: 'int', param: 'episodes', inUrl: true, group: 'probe', label: 'Episodes', default: SETTINGS_ADDED_LATER.fewShotEpisodes,
    min: 10, max: 2000, step: 10,
    help: 'More episodes give a narrower 95% interval.',
  },
  fewShotClassifier: {
    kind: 'enum', param: 'fsclf', inUrl: true, group: 'probe', label: 'Classifier', default: SETTINGS_ADDED_LATER.fewShotClassifier,
    choices: [
      { value: 'centroid', label: 'Nearest centroid (cosine)' },
      { value: 'logistic', label: 'Logistic regression' },
    ],
    help: 'Fitted on the support features of each episode; the network itself stays frozen.',
  },
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The analysis settings of the Robustness and Few-shot panels: they apply to the models as they are and never need a reset. */
export const PROBE_KEYS: readonly SettingKey[] = SETTING_KEYS.filter((k) => SETTINGS[k].group === 'probe');

/** The loss settings; changing one mid-run is sent to the worker as setLoss instead of needing a reset. */
export const LOSS_KEYS: readonly SettingKey[] = ['gamma', 'lambda', 'absNegative'];

/** The label the form shows for a choice of an enum setting ("CIFAR-10" for cifar10); the value itself if unknown. */
export function describeChoice(key: SettingKey, value: string): string {
  const spec = SETTINGS[key] as SettingSpec;
  return spec.kind === 'enum' ? (spec.choices.find((c) => c.value === value)?.label ?? value) : value;
}

/** The table's defaults (the opening preset). */
export function defaultSettings(): LabSettings {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) out[key] = SETTINGS[key].default;
  return out as unknown as LabSettings;
}

/** A corrected value and, when the input was not usable as it was, a sentence saying what was fixed. */
export interface Coerced<T> {
  value: T;
  notice?: string;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function describeValue(spec: SettingSpec, value: unknown): string {
  if (spec.kind === 'enum') return spec.choices.find((c) => c.value === value)?.label ?? String(value);
  if (spec.kind === 'bool') return spec.labels[value ? 1 : 0];
  return String(value);
}

function fixed(spec: SettingSpec, why: string, value: unknown): string {
  return `${spec.label}: ${why}; using ${describeValue(spec, value)}.`;
}

/** Upper bound of a number setting given the others: its table maximum, tightened by its limit. */
export function findUpperBound(spec: NumberSpec, settings: LabSettings, catalog: DataCatalog): number {
  const limit = spec.limit?.(settings, catalog);
  return limit === undefined ? spec.max : Math.max(spec.min, Math.min(spec.max, limit));
}

/**
 * Turn one raw value (a URL string, a form string, or an already typed value) into a valid value of `key`.
 * `context` supplies the other settings and the catalog for limits that depend on them.
 */
export function coerceSetting<K extends SettingKey>(
  key: K,
  raw: unknown,
  context: { settings: LabSettings; catalog: DataCatalog },
): Coerced<LabSettings[K]> {
  const spec = SETTINGS[key] as SettingSpec;
  const shown = shorten(String(raw));
  const result = ((): Coerced<unknown> => {
    switch (spec.kind) {
      case 'number':
      case 'int': {
        let n: number;
        const hi = findUpperBound(spec, context.settings, context.catalog);
        // The default too must respect limits that depend on the data (e.g. 150 images per class of a 40-image set).
        const notANumber = () => ({ value: Math.min(spec.default, hi), notice: fixed(spec, `“${shown}” is not a number`, Math.min(spec.default, hi)) });
        if (typeof raw === 'number') n = raw;
        else if (typeof raw === 'string' && NUMBER_PATTERN.test(raw.trim())) n = Number(raw.trim());
        else return notANumber();
        if (Number.isNaN(n)) return notANumber();
        // A decimal too long for a double reads as ±Infinity: it is out of range, and clamps below like any other.
        const notes: string[] = [];
        if (spec.kind === 'int' && Number.isFinite(n) && !Number.isInteger(n)) {
          notes.push(`${shown} is not a whole number`);
          n = Math.round(n);
        }
        if (n < spec.min) {
          notes.push(`${shown} is below the minimum ${spec.min}`);
          n = spec.min;
        } else if (n > hi) {
          notes.push(`${shown} is above the maximum ${hi}${hi < spec.max ? ' for this data and these settings' : ''}`);
          n = hi;
        }
        return { value: n, notice: notes.length > 0 ? fixed(spec, notes.join(' and '), n) : undefined };
      }
      case 'enum': {
        const choice = spec.choices.find((c) => c.value === raw);
        if (!choice) return { value: spec.default, notice: fixed(spec, `“${shown}” is not one of ${spec.choices.map((c) => c.value).join(', ')}`, spec.default) };
        const usable = (v: string) => spec.available?.(v as never, context.catalog) ?? true;
        if (!usable(choice.value)) {
          const fallback = usable(spec.default) ? spec.default : spec.choices.find((c) => usable(c.value))?.value ?? spec.default;
          return { value: fallback, notice: fixed(spec, `${choice.label} is not available on this server`, fallback) };
        }
        return { value: choice.value };
      }
      case 'bool': {
        if (typeof raw === 'boolean') return { value: raw };
        const text = String(raw).trim().toLowerCase();
        if (text === spec.urlValues[1] || text === 'true' || text === '1') return { value: true };
        if (text === spec.urlValues[0] || text === 'false' || text === '0') return { value: false };
        return { value: spec.default, notice: fixed(spec, `“${shown}” is not ${spec.urlValues.join(' or ')}`, spec.default) };
      }
    }
  })();
  return result as Coerced<LabSettings[K]>;
}

/**
 * Re-check every setting, in table order, against its range and the limits that depend on the settings
 * above it and on the prepared data. Returns corrected settings and what was corrected.
 */
export function constrainSettings(input: LabSettings, catalog: DataCatalog): { settings: LabSettings; notices: string[] } {
  const settings = { ...input };
  const notices: string[] = [];
  for (const key of SETTING_KEYS) {
    const { value, notice } = coerceSetting(key, settings[key], { settings, catalog });
    (settings as Record<SettingKey, unknown>)[key] = value;
    if (notice) notices.push(notice);
  }
  return { settings, notices };
}

/** Set one setting from a form value; everything that depends on it is re-checked. */
export function updateSetting<K extends SettingKey>(
  settings: LabSettings,
  key: K,
  raw: unknown,
  catalog: DataCatalog,
): { settings: LabSettings; notices: string[] } {
  const first = coerceSetting(key, raw, { settings, catalog });
  const rest = constrainSettings({ ...settings, [key]: first.value }, catalog);
  return { settings: rest.settings, notices: first.notice ? [first.notice, ...rest.notices] : rest.notices };
}

/** Longest hash we read; a longer one is not a link this page wrote. */
export const MAX_HASH_LENGTH = 4000;

/** The URL hash (without '#') of a set of settings: every URL setting, seed included, in table order. */
export function serializeSettings(settings: LabSettings): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as SettingSpec;
    if (!spec.inUrl) continue;
    const value = settings[key];
    params.set(spec.param, spec.kind === 'bool' ? spec.urlValues[value ? 1 : 0] : String(value));
  }
  return params.toString();
}

/**
 * Read settings from a URL hash ('#a=1&b=2', with or without '#'). Never throws: anything unusable (garbage,
 * unknown keys, repeated keys, non-numbers, out-of-range values, unknown choices, an unavailable data set,
 * a huge hash) is corrected to the nearest valid value or the default, with a notice saying what was fixed.
 * Settings the hash does not mention take their defaults silently.
 */
export function parseSettingsHash(hash: string, catalog: DataCatalog): { settings: LabSettings; notices: string[] } {
  const text = hash.replace(/^#\??/, '');
  if (text.length > MAX_HASH_LENGTH) {
    return {
      settings: constrainSettings(defaultSettings(), catalog).settings,
      notices: [`The link's settings are ${text.length.toLocaleString('en')} characters long, more than any link this page writes; using the defaults.`],
    };
  }
  const notices: string[] = [];
  const byParam = new Map<string, SettingKey>();
  for (const key of SETTING_KEYS) if (SETTINGS[key].inUrl) byParam.set(SETTINGS[key].param, key);
  const raw = new Map<SettingKey, string>();
  const unknown: string[] = [];
  for (const [param, value] of new URLSearchParams(text)) {
    const key = byParam.get(param);
    if (key === undefined) {
      unknown.push(`“${shorten(param || value, 24)}”`);
      continue;
    }
    if (raw.has(key)) notices.push(`${SETTINGS[key].label}: given more than once in the link; using the last value.`);
    raw.set(key, value);
  }
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '');
    notices.push(`Ignored ${unknown.length === 1 ? 'an unknown setting' : `${unknown.length} unknown settings`} in the link: ${listed}.`);
  }
  const settings = defaultSettings();
  for (const key of SETTING_KEYS) {
    const value = raw.get(key);
    const coerced = coerceSetting(key, value ?? settings[key], { settings, catalog });
    (settings as Record<SettingKey, unknown>)[key] = coerced.value;
    if (coerced.notice) notices.push(coerced.notice);
  }
  return { settings, notices };
}

/** Whether two settings objects are equal in every key, or in every key but `except`. */
export function sameSettings(a: LabSettings, b: LabSettings, except: readonly SettingKey[] = []): boolean {
  return SETTING_KEYS.every((k) => except.includes(k) || a[k] === b[k]);
}
