// Training speed of the worker in headless Chromium: steps per second of the paired CE and CE + OPL runs (one
// step trains both). WebGPU on two small workloads; wasm in three builds (tfjs's threaded or single-threaded
// build, with or without our kernels) on the page's opening preset and on ResNet-8 width 16, batch 64.
// Opt-in, it takes minutes: OPL_BENCH=1 npx playwright test tests/e2e/bench.spec.ts [-g wasm]. OPL_BENCH_REPEATS=n
// runs the wasm set n times, the builds interleaved, so that a busy machine spreads over all of them alike.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { OPENING_PRESET } from '../../src/ui/presets';
import type { LabSettings, WasmOptions } from '../../src/worker/protocol';
import { messages, note, openHarness, send, TINY, waitForMessage } from './support';

test.skip(!process.env.OPL_BENCH, 'set OPL_BENCH=1 to measure training speed');

/** Train `settings` to the end from a fresh page; the per-step rates after the first `warmup` steps, and the first step's seconds. */
async function timeSteps(page: Page, settings: LabSettings, warmup: number, wasm?: WasmOptions): Promise<{ rates: number[]; first: number; backend: string }> {
  await openHarness(page);
  await send(page, { type: 'init', settings, wasm });
  const backend = await waitForMessage(page, 'backend');
  await waitForMessage(page, 'phase', { phase: 'ready' });
  await send(page, { type: 'start' });
  await waitForMessage(page, 'phase', { phase: 'done' });
  // Each reading covers one step (logEvery 1); the epoch-end evaluations are left out of them.
  const rates = (await messages(page, 'progress')).map((p) => p.stepsPerSecond as number);
  return { rates: rates.slice(warmup), first: 1 / rates[0], backend: String(backend.adapter ?? backend.backend) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(testInfo: TestInfo, what: string, r: { rates: number[]; first: number; backend: string }): void {
  const [lo, hi] = [Math.min(...r.rates), Math.max(...r.rates)];
  note(
    testInfo,
    'steps/s',
    `${what}: median ${median(r.rates).toFixed(3)} steps/s (steps ${lo.toFixed(3)}-${hi.toFixed(3)}, ${r.rates.length} timed; ` +
      `first step ${r.first.toFixed(2)} s) on ${r.backend}`,
  );
}

const WEBGPU_CASES: Array<{ name: string; settings: Partial<LabSettings> }> = [
  // 3 epochs of 4 steps.
  { name: 'tiny (ResNet-8, width 4, batch 8)', settings: { epochs: 3 } },
  // 2 classes x 64 images: 2 epochs of 8 steps of 16.
  { name: 'ResNet-8, width 8, batch 16', settings: { width: 8, batchSize: 16, trainPerClass: 64, epochs: 2 } },
];

for (const { name, settings } of WEBGPU_CASES) {
  test(`webgpu: ${name}`, async ({ page }, testInfo) => {
    const r = await timeSteps(page, { ...TINY, embedCount: 0, ...settings, backend: 'webgpu' }, 1);
    report(testInfo, `webgpu ${name}`, r);
  });
}

// Each build set explicitly: the default depends on the machine's core count.
const WASM_BUILDS: Array<{ name: string; wasm: Required<WasmOptions> }> = [
  { name: 'threaded + our kernels', wasm: { threads: true, ourKernels: true } },
  { name: 'single-threaded + our kernels', wasm: { threads: false, ourKernels: true } },
  { name: 'threaded, stock routes', wasm: { threads: true, ourKernels: false } },
];

// Only the test set and the feature map shrink (neither is timed); one epoch each.
const WASM_CASES: Array<{ name: string; settings: LabSettings }> = [
  // 5 classes x 150 images, width 8, batch 32: 23 steps.
  { name: 'opening preset', settings: { ...OPENING_PRESET.settings, testPerClass: 16, embedCount: 0, epochs: 1, backend: 'wasm' } },
  // 10 classes x 96 images: 15 steps of 64.
  {
    name: 'ResNet-8, width 16, batch 64',
    settings: { ...OPENING_PRESET.settings, classes: 10, trainPerClass: 96, testPerClass: 8, width: 16, batchSize: 64, embedCount: 0, epochs: 1, backend: 'wasm' },
  },
];

const REPEATS = Math.max(1, Number(process.env.OPL_BENCH_REPEATS) || 1);
for (let round = 1; round <= REPEATS; round++) {
  for (const { name, settings } of WASM_CASES) {
    for (const build of WASM_BUILDS) {
      test(`wasm ${build.name}: ${name} (round ${round})`, async ({ page }, testInfo) => {
        const r = await timeSteps(page, settings, 2, build.wasm);
        // The badge says which build ran: a bench of the wrong one would mislead.
        expect(r.backend.includes('threaded build'), r.backend).toBe(build.wasm.threads);
        expect(r.backend.includes('our kernels')).toBe(build.wasm.ourKernels);
        report(testInfo, `wasm ${build.name}, ${name}`, r);
      });
    }
  }
}
