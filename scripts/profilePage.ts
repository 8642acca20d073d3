// Where the page's main-thread long tasks go while both runs train: opens the built site (dist-e2e, served by
// `vite preview --mode e2e`) in headless Chromium, trains the opening preset on `--backend`, records a
// Chromium trace and a sampling JS profile meanwhile, and prints each task over 50 ms with what filled it
// (script by function, style, layout, paint, GC). Build unminified first for readable function names:
//   npx vite build --mode e2e --minify false && npx tsx scripts/profilePage.ts --port 4500 --seconds 60
// Options: --backend wasm|webgl|webgpu, --threshold MS (default 50), --screenshot PNG (the page at the end).
import { spawn } from 'node:child_process';
import { chromium, type CDPSession } from '@playwright/test';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(option('port', '4500'));
const seconds = Number(option('seconds', '60'));
const backend = option('backend', 'wasm');
const threshold = Number(option('threshold', '50'));

async function readTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream as string)));
  await cdp.send('Tracing.end');
  const stream = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/** The kind a trace event's own time counts as. */
function kindOf(e: TraceEvent): string | null {
  switch (e.name) {
    case 'UpdateLayoutTree':
    case 'RecalculateStyles':
    case 'ParseAuthorStyleSheet':
      return 'style';
    case 'Layout':
      return 'layout';
    case 'PrePaint':
    case 'Paint':
    case 'PaintImage':
    case 'Layerize':
    case 'Commit':
    case 'UpdateLayer':
    case 'CompositeLayers':
      return 'paint';
    case 'MinorGC':
    case 'MajorGC':
    case 'V8.GC_SCAVENGER':
    case 'V8.GC_MARK_COMPACTOR':
    case 'BlinkGC.AtomicPhase':
      return 'gc';
    case 'FunctionCall':
    case 'EvaluateScript':
    case 'v8.compile':
    case 'V8.Execute':
    case 'TimerFire':
    case 'FireAnimationFrame':
    case 'EventDispatch':
    case 'HandlePostMessage':
    case 'RunMicrotasks':
    case 'v8.callFunction':
      return 'script';
    default:
      return null;
  }
}

const server = spawn('npx', ['vite', 'preview', '--mode', 'e2e', '--port', String(port), '--strictPort', '--host', 'localhost'], { stdio: 'ignore', detached: true });
try {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless=new', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
      '--disable-component-update', '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://localhost:${port}/#backend=${backend}`);
      break;
    } catch (e) {
      if (i > 60) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  // Read with plain DOM calls: a Playwright locator query is itself a main-thread task of the page.
  const readPhase = () => page.evaluate(() => document.querySelector<HTMLElement>('[role=status][data-phase]')?.dataset.phase ?? '');
  for (const deadline = Date.now() + 180_000; (await readPhase()) !== 'ready'; ) {
    if (Date.now() > deadline) throw new Error(`the page never became ready (phase ${await readPhase()})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'toplevel'] },
  });
  await cdp.send('Profiler.start');
  await page.getByRole('button', { name: 'Train' }).click();
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const phase = await readPhase();
    if (phase === 'done' || phase === 'failed') break;
  }
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const events = await readTrace(cdp);
  console.log(`status: ${await page.evaluate(() => document.querySelector('[role=status][data-phase]')?.textContent)}`);
  const shot = option('screenshot', '');
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  await browser.close();

  // The renderer main thread: the thread named CrRendererMain that ran the most top-level tasks.
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const taskCount = (pid: number, tid: number) => events.filter((e) => e.pid === pid && e.tid === tid && e.name === 'RunTask').length;
  const main = mains.sort((a, b) => taskCount(b.pid, b.tid) - taskCount(a.pid, a.tid))[0];
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > threshold * 1000).sort((a, b) => a.ts - b.ts);

  // JS samples: absolute times in the same microsecond clock as the trace.
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  /** The React components (capitalised functions of our bundle) on a sample's stack, innermost first. */
  const componentsOf = (id: number): string[] => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const f = nodes.get(at)!.callFrame;
      if (/^[A-Z][A-Za-z0-9]+$/.test(f.functionName) && /\/assets\//.test(f.url) && !names.includes(f.functionName)) names.push(f.functionName);
    }
    return names;
  };
  const sampleTimes: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) sampleTimes.push((t += d));

  const total = new Map<string, number>();
  const functionsAll = new Map<string, number>();
  console.log(`\n${tasks.length} main-thread tasks over ${threshold} ms in the recording; longest ${Math.round(Math.max(0, ...tasks.map((x) => x.dur ?? 0)) / 1000)} ms\n`);
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    // Self time per kind: each event's duration less its children's, attributed to its kind (or its parent's).
    const kinds = new Map<string, number>();
    const names = new Map<string, number>();
    inside.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const stack: Array<{ e: TraceEvent; kind: string; child: number }> = [];
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1].e.ts + (stack[stack.length - 1].e.dur ?? 0) <= upTo) {
        const top = stack.pop()!;
        const self = (top.e.dur ?? 0) - top.child;
        kinds.set(top.kind, (kinds.get(top.kind) ?? 0) + self);
        names.set(top.e.name, (names.get(top.e.name) ?? 0) + self);
        if (stack.length) stack[stack.length - 1].child += top.e.dur ?? 0;
      }
    };
    for (const e of inside) {
      close(e.ts);
      const kind = kindOf(e) ?? stack[stack.length - 1]?.kind ?? 'other';
      stack.push({ e, kind, child: 0 });
    }
    close(Infinity);
    const covered = [...kinds.values()].reduce((a, b) => a + b, 0);
    kinds.set('other', (kinds.get('other') ?? 0) + (task.dur ?? 0) - covered);
    for (const [k, v] of kinds) total.set(k, (total.get(k) ?? 0) + v);

    const functions = new Map<string, number>();
    const components = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      if (sampleTimes[i] < task.ts || sampleTimes[i] > end) continue;
      for (const c of componentsOf(profile.samples[i])) components.set(c, (components.get(c) ?? 0) + (profile.timeDeltas[i + 1] ?? 500) / 1000);
      const frame = nodes.get(profile.samples[i])!.callFrame;
      if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
      const file = frame.url.split('/').pop() ?? '';
      const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
      const dt = (profile.timeDeltas[i + 1] ?? 500) / 1000;
      functions.set(key, (functions.get(key) ?? 0) + dt);
      functionsAll.set(key, (functionsAll.get(key) ?? 0) + dt);
    }
    const top = [...functions].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(0)}`).join('; ');
    const breakdown = [...kinds].filter(([, v]) => v > 1000).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ');
    const at = ((task.ts - profile.startTime) / 1e6).toFixed(1);
    const inComponents = [...components].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join('; ');
    const events = [...names].filter(([, v]) => v > 2000).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ');
    console.log(`+${at} s  ${((task.dur ?? 0) / 1000).toFixed(0)} ms: ${breakdown}\n    events: ${events}\n    js: ${top}\n    in: ${inComponents}`);
  }
  console.log(`\nall long tasks, ms by kind: ${[...total].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ')}`);
  console.log(`all long tasks, JS self time by function (ms):`);
  for (const [k, v] of [...functionsAll].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${v.toFixed(0).padStart(6)}  ${k}`);
} finally {
  process.kill(-server.pid!);
}
