// Runs scripts/benchTorch.py, the PyTorch twin of a bench workload, when a Python with torch is installed.
// The bench uses it to print tfjs and PyTorch images per second side by side; nothing here is required.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Workloads as the Python script takes them on its command line: one per loss, timed interleaved. */
export interface TorchWorkloads {
  model: string;
  width: number;
  batch: number;
  losses: ('ce' | 'opl')[];
  classes: number;
  threads: number;
  warmup: number;
  steps: number;
}

export interface TorchResults {
  torch: string;
  threads: number;
  /** Per loss: images per second and ms per step from the median step, and the fastest step's ms. */
  results: Partial<Record<'ce' | 'opl', { imgPerSec: number; msPerStep: number; msPerStepMin: number }>>;
}

const SCRIPT = resolve(import.meta.dirname, '../../scripts/benchTorch.py');

/**
 * The first Python that can `import torch`: $OPL_PYTHON, then python3 on the PATH, then Debian's own
 * /usr/bin/python3 (where apt's python3-torch lives even when a pyenv python3 comes first). null if none.
 */
export function findTorchPython(): string | null {
  const candidates = [process.env.OPL_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of new Set(candidates)) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return null;
}

/** Run the workloads in PyTorch on the CPU (blocking). Throws with Python's stderr if the script fails. */
export function runTorchWorkloads(python: string, w: TorchWorkloads): TorchResults {
  const args = [SCRIPT, '--model', w.model, '--width', String(w.width), '--batch', String(w.batch), '--losses', w.losses.join(',')];
  args.push('--classes', String(w.classes), '--threads', String(w.threads), '--warmup', String(w.warmup), '--steps', String(w.steps));
  // OMP/MKL variables would override torch.set_num_threads in some builds; pin them to the same count.
  const threads = String(w.threads);
  const env = { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
  const run = spawnSync(python, args, { encoding: 'utf8', env, timeout: 600_000 });
  if (run.status !== 0) throw new Error(`benchTorch.py failed (${run.status ?? run.signal}): ${run.stderr.trim().split('\n').pop()}`);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as TorchResults;
}
