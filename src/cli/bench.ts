// `npm run bench`: training throughput (images per second) of fixed workloads, through the trainer's own step
// (src/core: same model, loss, optimiser and batch assembly as `npm run train`) on random data, per tfjs backend
// that runs in Node, and of the same model and step in PyTorch on the CPU when Python can import torch.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { SIMD_FLAG } from '../core/backends/wasmSimd';
import { DEFAULT_TRAIN_CONFIG, pairedRuns, type TrainConfig } from '../core/config';
import { orthogonalProjectionLoss } from '../core/losses/opl';
import type { ModelName } from '../core/models/resnet';
import { createTrainer } from '../core/trainer';
import { formatHelp, parseOptions, runCli, UsageError, type OptionTable, type OptionValues } from './options';
import { makeRandomSplit, RANDOM_CLASSES } from './randomData';
import { NODE_BACKENDS, setupBackend, WEBGPU_ENV, type NodeBackend } from './setupBackend';
import { findTorchPython, runTorchWorkloads, type TorchResults } from './torchTwin';

const OPTIONS: OptionTable = {
  backends: { kind: 'string', default: 'wasm', meta: 'LIST', help: 'comma-separated tfjs backends: wasm, cpu (stock, slow: reduced workload), webgpu (Dawn on SwiftShader: tiny workload)' },
  batches: { kind: 'string', default: '64,128', meta: 'LIST', help: 'batch sizes on wasm' },
  losses: { kind: 'string', default: 'ce,opl', meta: 'LIST', help: 'ce and/or opl (CE + λ·OPL, γ 0.5, λ 1)' },
  model: { kind: 'choice', choices: ['resnet8', 'resnet14', 'resnet20'], default: 'resnet8', help: 'CIFAR ResNet depth' },
  width: { kind: 'int', min: 1, max: 256, default: 16, help: 'channels of the first stage' },
  warmup: { kind: 'int', min: 0, max: 100, default: 2, help: 'untimed steps before timing (wasm)' },
  steps: { kind: 'int', min: 1, max: 1000, default: 9, help: 'timed steps per loss, interleaved; the median is reported (wasm)' },
  'cpu-batch': { kind: 'int', min: 1, max: 4096, default: 16, help: 'batch size on cpu (about 30 s per step at 16: its conv gradients are plain JS loops)' },
  'cpu-steps': { kind: 'int', min: 1, max: 100, default: 1, help: 'timed steps on cpu, after no warm-up' },
  'webgpu-width': { kind: 'int', min: 1, max: 256, default: 8, help: 'model width on webgpu' },
  'webgpu-batch': { kind: 'int', min: 1, max: 4096, default: 16, help: 'batch size on webgpu (seconds per step on SwiftShader)' },
  'webgpu-steps': { kind: 'int', min: 1, max: 100, default: 2, help: 'timed steps on webgpu, after one warm-up step' },
  'no-simd': { kind: 'flag', help: 'wasm without our SIMD kernels (JS batch norm passes, XNNPACK conv routes), for comparison' },
  'no-torch': { kind: 'flag', help: 'skip the PyTorch comparison' },
  json: { kind: 'string', meta: 'PATH', help: 'write every workload and summary as JSON' },
  'child-json': { kind: 'flag', help: 'internal: print the measured workloads as one JSON line (how the webgpu child reports back)' },
  help: { kind: 'flag', help: 'show this help' },
};

const USAGE =
  'Usage: npm run bench -- [options]\n\n' +
  'Times training steps (after a warm-up, median of several) through the trainer on random data and prints images per second,\n' +
  'next to the same model and step in PyTorch (CPU, same thread count, and 2 threads) when python3 can import torch.';

/** One measured workload; the JSON output holds these. */
interface WorkloadResult {
  name: string;
  backend: NodeBackend;
  model: ModelName;
  width: number;
  batch: number;
  loss: 'ce' | 'opl';
  /** Threads the tfjs backend computes with (wasm in Node: 1). */
  threads: number;
  warmup: number;
  steps: number;
  /** Median over the timed steps. */
  msPerStep: number;
  /** Fastest timed step: background load only ever adds time, so this is the steadier figure on a busy machine. */
  msPerStepMin: number;
  imgPerSec: number;
  /** PyTorch, CPU, same thread count (median step, and fastest step in ms). */
  torchImgPerSec?: number;
  torchMsPerStepMin?: number;
  /** PyTorch, CPU, 2 threads. */
  torch2ThreadsImgPerSec?: number;
}

interface Plan {
  backend: NodeBackend;
  width: number;
  batches: number[];
  warmup: number;
  steps: number;
  note?: string;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), OPTIONS);
  if (o.help) {
    process.stdout.write(`${formatHelp(USAGE, OPTIONS)}\n`);
    return;
  }
  const backends = parseList(o.backends as string, 'backends', NODE_BACKENDS);
  const losses = parseList(o.losses as string, 'losses', ['ce', 'opl'] as const);
  const batches = parseList(o.batches as string, 'batches').map((b) => {
    const n = Number(b);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--batches needs whole numbers ≥ 1 (got '${b}')`);
    return n;
  });
  const model = o.model as ModelName;
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const results: WorkloadResult[] = [];
  const notes: string[] = [];
  for (const plan of backends.map((b) => planFor(b, o, batches))) {
    if (plan.note) notes.push(plan.note);
    if (plan.backend === 'webgpu' && !hasWebGpuEnv()) {
      results.push(...runWebGpuChild(o));
      continue;
    }
    await setupBackend(plan.backend);
    tf.env().set(SIMD_FLAG, !o['no-simd']);
    for (const batch of plan.batches) {
      log(`${plan.backend}: ${model} width ${plan.width}, batch ${batch}, ${losses.join(' and ')} ...`);
      results.push(...(await measureWorkloads(plan, model, batch, losses)));
    }
  }
  if (o['child-json']) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }

  let torchVersion: string | null = null;
  let oplLogging: { batch: number; ms: number; fractionOfCeStep: number } | null = null;
  if (results.some((r) => r.backend === 'wasm' && r.loss === 'ce')) oplLogging = await measureOplLogging(results);
  if (!o['no-torch']) {
    const python = findTorchPython();
    if (python == null) notes.push('PyTorch: not measured (no python3 here can import torch; Debian: apt-get install python3-torch)');
    else torchVersion = addTorchFigures(python, results, log);
  }

  process.stdout.write(`\n${formatTable(results)}\n`);
  const overheads = oplOverheads(results);
  for (const line of overheads.lines) process.stdout.write(`${line}\n`);
  if (oplLogging) {
    process.stdout.write(
      `OPL's value for CE runs (logged, forward only) at batch ${oplLogging.batch} on wasm: ${oplLogging.ms.toFixed(2)} ms ` +
        `= ${(oplLogging.fractionOfCeStep * 100).toFixed(2)}% of a CE step\n`,
    );
  }
  if (torchVersion) process.stdout.write(`PyTorch ${torchVersion} on the CPU with random data: the same ResNet, loss and SGD step (scripts/benchTorch.py)\n`);
  for (const note of notes) process.stdout.write(`${note}\n`);

  if (o.json) {
    const out = {
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      node: process.version,
      tfjs: tf.version.tfjs,
      torch: torchVersion,
      workloads: results,
      oplOverhead: overheads.figures,
      oplLoggingForCe: oplLogging,
      notes,
    };
    await writeFile(resolve(o.json as string), JSON.stringify(out, null, 1));
    log(`wrote ${o.json}`);
  }
}

function parseList<T extends string>(raw: string, option: string, allowed?: readonly T[]): T[] {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${option} needs at least one value`);
  for (const item of items) {
    if (allowed && !allowed.includes(item as T)) throw new UsageError(`--${option}: '${item}' is not one of ${allowed.join(', ')}`);
  }
  return [...new Set(items)] as T[];
}

/** What each backend runs: wasm the full workloads; cpu and webgpu reduced ones (said in the output). */
function planFor(backend: NodeBackend, o: OptionValues, batches: number[]): Plan {
  const width = o.width as number;
  if (backend === 'cpu') {
    const batch = o['cpu-batch'] as number;
    const steps = o['cpu-steps'] as number;
    return {
      backend,
      width,
      batches: [batch],
      warmup: 0,
      steps,
      note: `cpu: reduced workload (batch ${batch}, ${steps} timed step${steps > 1 ? 's' : ''}, no warm-up): the stock cpu conv gradients take minutes per batch-64 step`,
    };
  }
  if (backend === 'webgpu') {
    const w = o['webgpu-width'] as number;
    const batch = o['webgpu-batch'] as number;
    return {
      backend,
      width: w,
      batches: [batch],
      warmup: 1,
      steps: o['webgpu-steps'] as number,
      note: `webgpu: tiny workload (width ${w}, batch ${batch}, 1 warm-up step): Dawn on SwiftShader, a CPU Vulkan, takes seconds per step`,
    };
  }
  const note = o['no-simd'] ? 'wasm: --no-simd, our SIMD kernels off (batch norm in JS passes, convolutions by the XNNPACK routes)' : undefined;
  return { backend, width, batches, warmup: o.warmup as number, steps: o.steps as number, note };
}

/**
 * Time training steps of one trainer per loss. The losses' timed steps alternate, so background load on
 * the machine hits each alike and the CE vs CE + OPL difference stays readable.
 */
async function measureWorkloads(plan: Plan, model: ModelName, batch: number, losses: ('ce' | 'opl')[]): Promise<WorkloadResult[]> {
  const data = makeRandomSplit(batch, 1);
  const trainers = losses.map((loss) => {
    const run = pairedRuns()[loss === 'ce' ? 0 : 1];
    // The product's defaults (SGD + momentum + weight decay, augmentation, a metrics readback every step).
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, model, width: plan.width, batchSize: batch, epochs: 1_000_000, runs: [run] };
    return createTrainer(config, data);
  });
  try {
    for (const trainer of trainers) for (let i = 0; i < plan.warmup; i++) await trainer.step();
    const times = losses.map(() => [] as number[]);
    for (let i = 0; i < plan.steps; i++) {
      // ABBA order: a drift in background load does not favour whichever loss goes first.
      const order = i % 2 === 0 ? trainers.keys() : [...trainers.keys()].reverse();
      for (const k of order) {
        const start = performance.now();
        await trainers[k].step(); // resolves after the step's metrics are read back, so the work is done
        times[k].push(performance.now() - start);
      }
    }
    return losses.map((loss, k) => {
      const ms = median(times[k]);
      return {
        name: `${model}-w${plan.width}-b${batch}-${loss}-${plan.backend}`,
        backend: plan.backend,
        model,
        width: plan.width,
        batch,
        loss,
        threads: plan.backend === 'wasm' ? getThreadsCount() : 1,
        warmup: plan.warmup,
        steps: plan.steps,
        msPerStep: ms,
        msPerStepMin: Math.min(...times[k]),
        imgPerSec: (batch / ms) * 1000,
      };
    });
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function hasWebGpuEnv(): boolean {
  return Object.entries(WEBGPU_ENV).every(([k, v]) => process.env[k] === v);
}

/** Run the webgpu workloads in a child process started with WEBGPU_ENV (Dawn needs it from process start). */
function runWebGpuChild(o: OptionValues): WorkloadResult[] {
  if (!existsSync(WEBGPU_ENV.VK_ICD_FILENAMES)) {
    throw new Error(`webgpu needs SwiftShader's Vulkan driver at ${WEBGPU_ENV.VK_ICD_FILENAMES} (Debian package chromium)`);
  }
  const pass = ['losses', 'model', 'webgpu-width', 'webgpu-batch', 'webgpu-steps'].flatMap((k) => [`--${k}`, String(o[k])]);
  const args = [...process.execArgv, process.argv[1], '--backends', 'webgpu', '--child-json', ...pass];
  process.stderr.write(`webgpu: running in a child process with ${Object.entries(WEBGPU_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
  const child = spawnSync(process.execPath, args, { env: { ...process.env, ...WEBGPU_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`the webgpu child process failed (${child.status ?? child.signal})`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '[]') as WorkloadResult[];
}

/** Time OPL's forward pass as the trainer runs it for a CE run (on the tape, not differentiated). */
async function measureOplLogging(results: WorkloadResult[]): Promise<{ batch: number; ms: number; fractionOfCeStep: number }> {
  await setupBackend('wasm');
  const ce = results.filter((r) => r.backend === 'wasm' && r.loss === 'ce').sort((a, b) => b.batch - a.batch)[0];
  const features = tf.randomNormal([ce.batch, 4 * ce.width]) as tf.Tensor2D;
  const labels = tf.tensor1d(Int32Array.from({ length: ce.batch }, (_, i) => i % RANDOM_CLASSES), 'int32');
  const params = [tf.variable(tf.zeros([1]))];
  const once = () => {
    const start = performance.now();
    // Inside variableGrads like the trainer, so the ops are recorded on the tape as they are there; as for a
    // CE run, the returned loss does not depend on OPL, so backprop skips it.
    const { value, grads } = tf.variableGrads(() => {
      const o = orthogonalProjectionLoss(features, labels);
      tf.dispose([o.loss, o.posMean, o.negMean]);
      return tf.sum(params[0]) as tf.Scalar;
    }, params);
    tf.dispose([value, ...Object.values(grads)]);
    return performance.now() - start;
  };
  for (let i = 0; i < 5; i++) once();
  const ms = median(Array.from({ length: 21 }, once));
  tf.dispose([features, labels, ...params]);
  return { batch: ce.batch, ms, fractionOfCeStep: ms / ce.msPerStep };
}

/** Adds PyTorch's figures to every workload (same threads, and 2 threads); returns torch's version. */
function addTorchFigures(python: string, results: WorkloadResult[], log: (line: string) => void): string | null {
  let version: string | null = null;
  const groups = new Map<string, WorkloadResult[]>();
  for (const r of results) {
    const key = `${r.model}/${r.width}/${r.batch}/${r.threads}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) {
    const { model, width, batch, threads } = group[0];
    const losses = [...new Set(group.map((r) => r.loss))];
    const measure = (t: number): TorchResults => {
      log(`pytorch: ${model} width ${width}, batch ${batch}, ${losses.join(' and ')}, ${t} thread${t > 1 ? 's' : ''} ...`);
      return runTorchWorkloads(python, { model, width, batch, losses, classes: RANDOM_CLASSES, threads: t, warmup: 2, steps: 9 });
    };
    const same = measure(threads);
    const two = measure(2);
    version = same.torch;
    for (const r of group) {
      r.torchImgPerSec = same.results[r.loss]?.imgPerSec;
      r.torchMsPerStepMin = same.results[r.loss]?.msPerStepMin;
      r.torch2ThreadsImgPerSec = two.results[r.loss]?.imgPerSec;
    }
  }
  return version;
}

function formatTable(results: WorkloadResult[]): string {
  const head = ['workload', 'backend', 'threads', 'img/s', 'ms/step', 'torch img/s', 'tfjs/torch', 'torch 2 thr img/s'];
  const rows = results.map((r) => [
    `${r.model} w${r.width} batch ${r.batch} ${r.loss === 'ce' ? 'CE' : 'CE + OPL'}`,
    r.backend,
    String(r.threads),
    r.imgPerSec.toFixed(1),
    r.msPerStep.toFixed(0),
    r.torchImgPerSec?.toFixed(1) ?? '-',
    r.torchImgPerSec ? formatRatio(r.imgPerSec / r.torchImgPerSec) : '-',
    r.torch2ThreadsImgPerSec?.toFixed(1) ?? '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** CE + OPL vs CE alone, per backend and batch where both were measured (and in PyTorch). */
function oplOverheads(results: WorkloadResult[]) {
  const lines: string[] = [];
  const figures: {
    backend: NodeBackend;
    batch: number;
    tfjsPercent: number;
    tfjsPercentFastest: number;
    torchPercent?: number;
    torchPercentFastest?: number;
  }[] = [];
  // Only where the median has a few steps behind it: a single step is mostly noise.
  for (const ce of results.filter((r) => r.loss === 'ce' && r.steps >= 3)) {
    const opl = results.find((r) => r.loss === 'opl' && r.backend === ce.backend && r.batch === ce.batch && r.width === ce.width);
    if (!opl) continue;
    const tfjsPercent = (opl.msPerStep / ce.msPerStep - 1) * 100;
    const tfjsPercentFastest = (opl.msPerStepMin / ce.msPerStepMin - 1) * 100;
    const torchPercent = ce.torchImgPerSec && opl.torchImgPerSec ? (ce.torchImgPerSec / opl.torchImgPerSec - 1) * 100 : undefined;
    const torchPercentFastest = ce.torchMsPerStepMin && opl.torchMsPerStepMin ? (opl.torchMsPerStepMin / ce.torchMsPerStepMin - 1) * 100 : undefined;
    figures.push({ backend: ce.backend, batch: ce.batch, tfjsPercent, tfjsPercentFastest, torchPercent, torchPercentFastest });
    const torchText =
      torchPercent === undefined || torchPercentFastest === undefined ? '' : `; PyTorch ${signed(torchPercent)}, ${signed(torchPercentFastest)}`;
    lines.push(`CE + OPL vs CE, ${ce.backend} batch ${ce.batch}: step time ${signed(tfjsPercent)} (median), ${signed(tfjsPercentFastest)} (fastest step)${torchText}`);
  }
  return { lines, figures };
}

/** Two decimals, or two significant digits for the tiny ratios of the cpu and webgpu rows. */
function formatRatio(ratio: number): string {
  return ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2);
}

function signed(percent: number): string {
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

runCli(main);
