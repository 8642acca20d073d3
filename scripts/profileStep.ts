// Where a training step's time goes: the trainer's own step on random data, timed unprofiled, then per-kernel
// totals from tf.profile (and, with --kernel NAME, that kernel per input shape). The tool behind the kernel
// work in src/core/backends/; `npm run bench` is the number to quote.
//   npx tsx scripts/profileStep.ts [--batch 64] [--loss ce|opl] [--backend wasm|cpu] [--no-simd] [--kernel Conv2D]
import * as tf from '@tensorflow/tfjs';
import { SIMD_FLAG } from '../src/core/backends/wasmSimd';
import { DEFAULT_TRAIN_CONFIG, pairedRuns } from '../src/core/config';
import { createTrainer } from '../src/core/trainer';
import { makeRandomSplit } from '../src/cli/randomData';
import { setupBackend } from '../src/cli/setupBackend';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const batch = Number(arg('batch') ?? 64);
  const loss = arg('loss') === 'opl' ? 'opl' : 'ce';
  const backend = arg('backend') === 'cpu' ? 'cpu' : 'wasm';
  const kernel = arg('kernel');
  await setupBackend(backend);
  tf.env().set(SIMD_FLAG, !process.argv.includes('--no-simd'));
  const runs = [pairedRuns()[loss === 'ce' ? 0 : 1]];
  const trainer = createTrainer({ ...DEFAULT_TRAIN_CONFIG, batchSize: batch, epochs: 1_000_000, runs }, makeRandomSplit(batch, 1));

  for (let i = 0; i < 2; i++) await trainer.step();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await trainer.step();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${backend}${tf.env().getBool(SIMD_FLAG) ? '' : ' (SIMD off)'}, batch ${batch}, ${loss}: step median ${times[3].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (7 steps)`);

  const profiles = 3;
  const byName = new Map<string, { ms: number; calls: number }>();
  const byShape = new Map<string, { ms: number; calls: number }>();
  for (let i = 0; i < profiles; i++) {
    const p = await tf.profile(async () => {
      await trainer.step();
    });
    for (const k of p.kernels) {
      const ms = (k.kernelTimeMs as number) / profiles;
      const add = (map: Map<string, { ms: number; calls: number }>, key: string) => {
        const entry = map.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += ms;
        entry.calls += 1 / profiles;
        map.set(key, entry);
      };
      add(byName, k.name);
      if (k.name === kernel) add(byShape, `${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}`);
    }
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  console.log(`kernel time per step (tf.profile, mean of ${profiles}): ${total.toFixed(1)} ms\n`);
  const rows = (map: Map<string, { ms: number; calls: number }>) =>
    [...map.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([key, e]) => `${e.ms.toFixed(1).padStart(8)} ms ${e.calls.toFixed(0).padStart(5)} calls  ${key}`);
  console.log(rows(byName).slice(0, 25).join('\n'));
  if (kernel) console.log(`\n${kernel} by input shape:\n${rows(byShape).join('\n')}`);
  trainer.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
