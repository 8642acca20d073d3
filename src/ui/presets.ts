// Ready-made experiments. Each sets every setting of the experiment (the table's defaults plus what differs, and
// why), so a preset and the link it writes always mean the same run; the backend belongs to the machine, not to
// the experiment, so picking a preset keeps the one in use.
import type { LabSettings } from '../worker/protocol';
import { defaultSettings, PROBE_KEYS, sameSettings, type DataCatalog, type SettingKey } from './settings';

export interface Preset {
  id: string;
  label: string;
  /** One sentence: what this run shows. */
  why: string;
  settings: LabSettings;
  /** Whether the prepared data allow it. */
  available: (catalog: DataCatalog) => boolean;
}

const always = () => true;

export const PRESETS: readonly Preset[] = [
  {
    id: 'one-minute',
    label: 'Orthogonality in one minute (γ = 2)',
    why: 'Five classes, a small ResNet-8, four epochs: with γ = 2 different-class features move towards orthogonal while CE leaves them alike.',
    // The table's defaults are this preset: it is what the page opens with.
    settings: defaultSettings(),
    available: always,
  },
  {
    id: 'readme-defaults',
    label: 'README defaults (γ = 0.5)',
    why: 'The reference README’s λ = 1, γ = 0.5 on the same data: at this horizon clusters tighten but classes barely separate.',
    settings: { ...defaultSettings(), gamma: 0.5, lambda: 1 },
    available: always,
  },
  {
    id: 'measured',
    label: 'The measured setup (10 classes × 500, 10 epochs)',
    why: 'The PyTorch measurement in the teaching text: ResNet-8 width 16, batch 64, lr 0.05. Slow in a browser without a GPU.',
    settings: { ...defaultSettings(), classes: 10, trainPerClass: 500, testPerClass: 100, width: 16, batchSize: 64, epochs: 10, embedCount: 1000 },
    available: always,
  },
  {
    id: 'cifar100',
    label: 'CIFAR-100, 20 classes',
    why: 'More classes in the same small feature space (4w dimensions): orthogonality gets harder to reach.',
    settings: { ...defaultSettings(), dataset: 'cifar100', classes: 20, trainPerClass: 100, testPerClass: 25, width: 16, batchSize: 64, epochs: 5, embedCount: 400 },
    available: (catalog) => catalog.cifar100 !== undefined,
  },
  {
    id: 'tiny',
    label: 'Tiny (for testing)',
    why: 'Two classes, 16 images each, width 4, one epoch: finishes in seconds anywhere. Shows the plumbing, not the effect.',
    settings: {
      ...defaultSettings(),
      classes: 2,
      trainPerClass: 16,
      testPerClass: 8,
      width: 4,
      batchSize: 8,
      epochs: 1,
      embedCount: 16,
    },
    available: always,
  },
];

/** The preset the page opens with. */
export const OPENING_PRESET = PRESETS[0];

/** Settings about this machine rather than the experiment: picking a preset leaves them as they are. */
export const MACHINE_KEYS: readonly SettingKey[] = ['backend'];

/** Settings a preset leaves as they are: the machine's, and the analysis panels' (ε, N-way K-shot…), which are not the experiment. */
const KEPT_KEYS: readonly SettingKey[] = [...MACHINE_KEYS, ...PROBE_KEYS];

/** The settings of `preset`, with the machine and analysis settings of `current` (someone who chose WASM keeps WASM). */
export function mergePreset(preset: Preset, current: LabSettings): LabSettings {
  const merged = { ...preset.settings } as Record<SettingKey, unknown>;
  for (const key of KEPT_KEYS) merged[key] = current[key];
  return merged as unknown as LabSettings;
}

/** The preset whose experiment `settings` are, whatever their machine and analysis settings; undefined for custom settings. */
export function findActivePreset(presets: readonly Preset[], settings: LabSettings): Preset | undefined {
  return presets.find((p) => sameSettings(p.settings, settings, KEPT_KEYS));
}
