// The one typed protocol between the page and its workers. Every message has a `type`; the training worker's
// lifecycle is explicit: init → data loaded → backend ready → running / paused → done / failed.
import type { LossSpec } from '../core/losses/objective';
import type { ModelName } from '../core/models/resnet';
import type { EvalReport, StepMetrics } from '../core/trainer';

/** Backends the user can ask for; 'auto' tries WebGPU, then WebGL, then WASM. */
export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm';
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Which runs to train: the side-by-side comparison, or one run alone. */
export type RunMode = 'compare' | 'ce' | 'opl';

/** Everything the worker needs to build a training session. The page's settings table maps onto this. */
export interface LabSettings {
  dataset: 'cifar10' | 'cifar100';
  classes: number;
  trainPerClass: number;
  testPerClass: number;
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
}

export type Phase = 'idle' | 'loading-data' | 'selecting-backend' | 'ready' | 'running' | 'paused' | 'done' | 'failed';

/** Messages from the page to the training worker. */
export type ToTrainer =
  | { type: 'init'; settings: LabSettings }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; settings: LabSettings }
  /** New loss weights for the OPL run (and the OPL logged for the CE run); applied from the next step. */
  | { type: 'setLoss'; loss: Pick<LossSpec, 'gamma' | 'lambda' | 'absNegative'> };

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
       * The embedded test images, [count, 32, 32, 3] HWC uint8 (transferred), row i the image of point i: the
       * page's hover thumbnails. Sent with a session's first embedding and whenever the embedded images change
       * (they are the same every epoch); absent otherwise, when the last ones sent still apply.
       */
      images?: Uint8Array;
    }
  | { type: 'lossChanged'; step: number; loss: Pick<LossSpec, 'gamma' | 'lambda' | 'absNegative'> }
  | { type: 'notice'; message: string }
  | { type: 'error'; message: string };

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
