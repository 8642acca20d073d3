// The one typed protocol between the page and its workers. Every message has a `type`; the training worker's
// lifecycle is explicit: init → data loaded → backend ready → running / paused → done / failed.
import type { NoiseKind } from '../core/data/labelNoise';
import type { TrainingShiftReport } from '../core/data/trainingShift';
import type { LossSpec } from '../core/losses/objective';
import type { ModelName } from '../core/models/resnet';
import type { EvalReport, StepMetrics } from '../core/trainer';
import type { RunHistory } from './runHistory';
import type { AttackExample, AttackMethod, AttackResult } from '../core/eval/adversarial';
import type { FewShotClassifier, FewShotResult } from '../core/eval/fewShot';
import type { SampleGeometry } from '../core/eval/sampleGeometry';

/** Backends the user can ask for; 'auto' tries WebGPU, then WebGL, then WASM. */
export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm';
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** What an export makes: the whole run (.oplrun), a run's LayersModel, its Projector TSVs, the metrics CSV. */
export type ExportKind = 'run' | 'model' | 'projector' | 'csv';

/** A file the worker made for the page to download. */
export interface ExportedFile {
  name: string;
  /** MIME type. */
  type: string;
  bytes: Uint8Array;
}

/** Which runs to train: the side-by-side comparison, or one run alone. */
export type RunMode = 'compare' | 'ce' | 'opl';

/** Everything the worker needs to build a training session. The page's settings table maps onto this. */
export interface LabSettings {
  dataset: 'cifar10' | 'cifar100';
  classes: number;
  trainPerClass: number;
  testPerClass: number;
  /** Fraction of training labels flipped (0 = clean); test labels are never touched. */
  labelNoise: number;
  noiseKind: NoiseKind;
  /** Long-tail ratio of the training set, largest/smallest class count (1 = balanced). */
  imbalance: number;
  model: ModelName;
  width: number;
  batchSize: number;
  lr: number;
  epochs: number;
  seed: number;
  mode: RunMode;
  gamma: number;
  lambda: number;
  absNegative: boolean;
  backend: BackendChoice;
  /** Read training metrics back every k steps. */
  logEvery: number;
  /** Test features sent for the UMAP and the sample similarity matrix. */
  embedCount: number;
  /** Robustness panel: the attack, its radius in 1/255 pixel steps, and how many test images it attacks. */
  attackMethod: AttackMethod;
  attackEpsilon: number;
  attackCount: number;
  /** Few-shot panel: N-way K-shot episodes on the classes the session did not train on. */
  fewShotWays: number;
  fewShotShots: number;
  fewShotEpisodes: number;
  fewShotClassifier: FewShotClassifier;
}

/**
 * Settings that run files written before they existed (and the CLI's, for the panels' settings) may lack, with
 * the value each then takes: the data-shift ones change nothing, the panels' ones are the settings table's defaults.
 */
export const SETTINGS_ADDED_LATER = {
  labelNoise: 0,
  noiseKind: 'symmetric',
  imbalance: 1,
  attackMethod: 'fgsm',
  attackEpsilon: 8,
  attackCount: 200,
  fewShotWays: 5,
  fewShotShots: 1,
  fewShotEpisodes: 200,
  fewShotClassifier: 'centroid',
} as const satisfies Partial<LabSettings>;

/** What the Robustness panel asks: an attack on a seeded sample of the session's test subset (same images for every run). */
export interface AttackRequest {
  method: AttackMethod;
  /** L∞ radius in pixel units of [0, 1]. */
  epsilon: number;
  count: number;
  /** PGD steps (the core's default when omitted). */
  steps?: number;
}

/** What the Few-shot panel asks: episodes on the frozen features of the prepared data set's untrained classes. */
export interface FewShotRequest {
  ways: number;
  shots: number;
  queries: number;
  episodes: number;
  classifier: FewShotClassifier;
  /** At most this many images of each novel class are embedded (a seeded sample), to bound the work. */
  poolPerClass: number;
}

/** The two analyses the worker runs on the current models between steps. */
export type ProbeKind = 'attack' | 'fewShot';

/** An attacked example with the clean image beside it, both [32, 32, 3] HWC uint8. */
export type AttackExampleView = AttackExample & { clean: Uint8Array };

export type Phase = 'idle' | 'loading-data' | 'selecting-backend' | 'ready' | 'running' | 'paused' | 'done' | 'failed';

/**
 * How the training worker builds tfjs's wasm backend, for benchmarks and tests (the page sends none and gets the
 * defaults). Fixed once the wasm backend has started in that worker.
 */
export interface WasmOptions {
  /** true: tfjs's threaded build where the page is cross-origin isolated; false: its single-threaded build; unset: threaded where tfjs would give it 2+ threads. */
  threads?: boolean;
  /** Our SIMD training kernels (src/core/backends/simd); false leaves the XNNPACK and JS routes. */
  ourKernels?: boolean;
}

/** Messages from the page to the training worker. */
export type ToTrainer =
  /** `wasm` applies from this init on (what it omits stays as it was); the build cannot change once the wasm backend has started. */
  | { type: 'init'; settings: LabSettings; wasm?: WasmOptions }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; settings: LabSettings }
  /** New loss weights for the OPL run (and the OPL logged for the CE run); applied from the next step. */
  | { type: 'setLoss'; loss: Pick<LossSpec, 'gamma' | 'lambda' | 'absNegative'> }
  /** The user's own CIFAR files (binary, .tar or .tar.gz): once read they replace that data set for later sessions. */
  | { type: 'loadFiles'; files: File[] }
  /** Make an export of the session (`run` picks the run for 'model' and 'projector'); answered by exported / exportFailed. */
  | { type: 'export'; what: ExportKind; run?: number }
  /**
   * Show a run file: continue it where it stopped when its data is here and it has a state, else show its panels
   * only. A bad file leaves the session as it is. `command` says how a snapshot was made.
   */
  | { type: 'openRun'; file: Blob; source: string; origin: 'import' | 'snapshot'; command?: string }
  /** Replace the session with a saved run, continued from its checkpoint (its curves are sent back first). */
  | { type: 'resume'; runId: string }
  /** Browser tests only (ignored outside `vite build --mode e2e`): make the worker throw or reject, uncaught. */
  | { type: 'fault'; kind: 'throw' | 'reject' }
  /** Attack every run's current model; runs when training is not (queued behind a running loop). `id` is echoed back. */
  | { type: 'attack'; id: number; request: AttackRequest }
  /** Few-shot episodes on every run's current features of the novel classes; `id` is echoed back. */
  | { type: 'fewShot'; id: number; request: FewShotRequest };

export interface BackendMeasurement {
  backend: BackendName;
  msPerStep: number;
}

/** What runs a backend: WebGPU's adapter.info, WebGL's (unmasked) renderer, or the WASM build (SIMD, threads). */
export interface AdapterInfo {
  vendor: string;
  /** WebGPU adapter architecture, e.g. 'swiftshader'; empty for WebGL. */
  architecture: string;
  description: string;
  /** A software renderer (WebGPU fallback adapter, SwiftShader, llvmpipe): slow, so 'auto' measures. */
  software: boolean;
  /** One line for people, e.g. "google swiftshader (fallback adapter)". */
  label: string;
}

/** tfjs memory after a step: tensors and bytes held, and the GPU backends' own device counters where they have them. */
export interface MemorySnapshot {
  numTensors: number;
  /** Bytes of every live tensor's data. */
  numBytes: number;
  /** WebGL and WebGPU: bytes of GPU memory in use by tensors. */
  gpuBytes?: number;
  /** WebGL and WebGPU: bytes of GPU memory allocated, pooled free buffers and textures included. */
  gpuBytesAllocated?: number;
}

/** Messages from the training worker to the page. */
export type FromTrainer =
  | { type: 'phase'; phase: Phase; detail?: string }
  /** Opens a session: sent after init / reset, and again when a backend fallback restarts training from step 0. */
  | {
      type: 'data';
      classNames: string[];
      trainCount: number;
      testCount: number;
      stepsPerEpoch: number;
      totalSteps: number;
      runNames: string[];
      /** Every class of the prepared data set (the session trains on the first `classNames.length`). */
      allClassNames: string[];
      /** Images per class in the prepared data set: the most trainPerClass / testPerClass can be. */
      availablePerClass: { train: number; test: number };
      /** What the long tail and the label noise did to the training split (class counts, labels flipped). */
      shift?: TrainingShiftReport;
    }
  /** The backend in use: sent once the session has one, and again after a fallback. */
  | {
      type: 'backend';
      backend: BackendName;
      /** One line on what runs it (WebGPU adapter, WebGL renderer, WASM build): adapterInfo.label. */
      adapter?: string;
      adapterInfo?: AdapterInfo;
      /** True when the backend runs on a software renderer. */
      software: boolean;
      /** Why this backend: asked for, fastest measured, or a fallback and what failed. */
      reason: string;
      measurements?: BackendMeasurement[];
    }
  | { type: 'progress'; step: number; epoch: number; lr: number; metrics: StepMetrics[]; stepsPerSecond: number; memory?: MemorySnapshot }
  | { type: 'evaluation'; step: number; epoch: number; reports: EvalReport[]; trainAccuracy: number[] }
  | {
      type: 'embedding';
      step: number;
      /** Per run, [count, dim] row-major (transferred). */
      features: Float32Array[];
      labels: Int32Array;
      dim: number;
      /**
       * Per run, the sample's sorted pairwise cosines and cosine histogram (its arrays transferred), computed in
       * the worker so the page only draws them.
       */
      geometry: SampleGeometry[];
      /**
       * The embedded test images, [count, 32, 32, 3] HWC uint8 (transferred), row i the image of point i: the
       * page's hover thumbnails. Sent with a session's first embedding and whenever the embedded images change
       * (they are the same every epoch); absent otherwise, when the last ones sent still apply.
       */
      images?: Uint8Array;
    }
  | { type: 'lossChanged'; step: number; loss: Pick<LossSpec, 'gamma' | 'lambda' | 'absNegative'> }
  | { type: 'notice'; message: string; tone?: 'info' | 'warning' }
  /**
   * The session's curves so far, replacing what the page shows: after a resume from a saved run, and after a
   * rollback to the last checkpoint (a NaN, a lost device), when the steps after `step` are gone.
   */
  | {
      type: 'history';
      runId: string | null;
      step: number;
      epoch: number;
      lr: number;
      history: RunHistory;
      /** After a resume: the saved run's settings, which the session now has (the page adopts them). */
      settings?: LabSettings;
    }
  /** The session was saved (as run `runId`): its metrics up to `step`, its checkpoint at `checkpointStep`. */
  | { type: 'saved'; runId: string; step: number; checkpointStep: number | null }
  | { type: 'error'; message: string }
  /** Reading dropped files: how far (0..1) and what is being done. */
  | { type: 'filesProgress'; fraction: number; detail: string }
  /** Dropped files were read: later sessions of `dataset` train on them (the page resets to use them). */
  | {
      type: 'filesLoaded';
      dataset: 'cifar10' | 'cifar100';
      /** The dropped file names, for people. */
      source: string;
      classNames: string[];
      count: { train: number; test: number };
      /** Images in the smallest class of each split: the most trainPerClass / testPerClass can be. */
      perClass: { train: number; test: number };
    }
  /** The files of an export (transferred), for the page to download. */
  | { type: 'exported'; what: ExportKind; files: ExportedFile[] }
  | { type: 'exportFailed'; what: ExportKind; message: string }
  /** A run file is shown (after its data / history / embedding messages); the page adopts its settings. */
  | {
      type: 'runOpened';
      origin: 'import' | 'snapshot';
      source: string;
      name: string;
      savedAt: string;
      settings: LabSettings;
      command?: string;
      /** True when its data is here and it has a state: it continues from where it stopped, with thumbnails. */
      resumable: boolean;
      /** Why it cannot continue, when it cannot. */
      why?: string;
    }
  /** A run file could not be opened (one line); the page keeps what it shows. */
  | { type: 'openRunFailed'; source: string; message: string }
  /** Dropped files could not be used (one line); the data in use is unchanged. */
  | { type: 'filesFailed'; message: string }
  /** A probe under way: what it is doing and how far (0..1). */
  | { type: 'probeProgress'; probe: ProbeKind; id: number; detail: string; fraction: number }
  /** Per run (in runNames order), at training step `step`. */
  | { type: 'attackResult'; id: number; step: number; runNames: string[]; results: (Omit<AttackResult, 'examples'> & { examples: AttackExampleView[] })[] }
  | { type: 'fewShotResult'; id: number; step: number; runNames: string[]; novelClassNames: string[]; novelCount: number; request: FewShotRequest; results: FewShotResult[] }
  /** A probe could not run (no session, no novel classes, too few images…): one line for its panel; the session goes on. */
  | { type: 'probeError'; probe: ProbeKind; id: number; message: string };

/** Messages to the UMAP worker. A new fit supersedes any fit in progress (its layouts stop). */
export type ToUmap = {
  type: 'fit';
  /** Caller's id, echoed back so stale results can be dropped. */
  id: number;
  /** [count, dim] row-major; rows are L2-normalised before fitting, so neighbours follow the cosine. */
  features: Float32Array;
  dim: number;
  seed: number;
  /** UMAP optimisation epochs; a layout is posted every 10 and at the end. */
  epochs: number;
};

/** Messages from the UMAP worker: 2-D coordinates [count, 2] as the layout converges. */
export type FromUmap =
  | { type: 'layout'; id: number; epoch: number; epochs: number; coords: Float32Array }
  | { type: 'error'; id: number; message: string };
