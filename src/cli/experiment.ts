// `npm run experiment -- <preset>`: runs paired CE vs CE + OPL over several seeds by calling `npm run train`
// once per job and seed, then writes a Markdown report (mean ± std per metric), the plot as PNG and the raw results.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { renderPlotPng } from './experiment/plot';
import { listPresetNames, mergeTrainArgs, PRESETS, type ExperimentJob, type RunFinal } from './experiment/presets';
import { buildPlotSpec, renderReport, type JobResult, type ReportContext } from './experiment/summarise';
import { formatHelp, parseOptions, runCli, UsageError, type OptionTable } from './options';

const OPTIONS: OptionTable = {
  seeds: { kind: 'int', min: 1, max: 20, default: 3, help: 'seeds 1..N, each a paired CE / CE + OPL run per job' },
  out: { kind: 'string', meta: 'DIR', help: 'folder for report.md, plot.png, results.json and the per-run JSON (default reports/<preset>)' },
  'data-dir': { kind: 'string', meta: 'PATH', help: "data folder passed to npm run train (default: the preset's, e.g. public/data/cifar10)" },
  quick: { kind: 'flag', help: 'tiny sizes (seconds per run) to check the pipeline, not to measure anything' },
  help: { kind: 'flag', help: 'show this help' },
};

const USAGE = `Usage: npm run experiment -- <preset> [options]

Runs CE and CE + OPL side by side (same init, same batches) over several seeds and writes a Markdown report.
Presets:
${listPresetNames().map((n) => `  ${n.padEnd(12)} ${PRESETS[n].summary}`).join('\n')}`;

const TRAIN_SCRIPT = 'src/cli/train.ts';

/** Split the preset name (the one positional argument) from the options. */
function splitArgs(argv: string[]): { preset: string | undefined; rest: string[] } {
  const index = argv.findIndex((a, i) => !a.startsWith('--') && (i === 0 || !expectsValue(argv[i - 1])));
  if (index < 0) return { preset: undefined, rest: argv };
  return { preset: argv[index], rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
}

function expectsValue(arg: string): boolean {
  const name = arg.slice(2);
  return arg.startsWith('--') && !arg.includes('=') && OPTIONS[name] !== undefined && OPTIONS[name].kind !== 'flag';
}

async function main(): Promise<void> {
  const { preset: presetName, rest } = splitArgs(process.argv.slice(2));
  const o = parseOptions(rest, OPTIONS);
  if (o.help) {
    process.stdout.write(`${formatHelp(USAGE, OPTIONS)}\n`);
    return;
  }
  if (!presetName) throw new UsageError(`name a preset: ${listPresetNames().join(', ')} (see --help)`);
  const preset = PRESETS[presetName];
  if (!preset) throw new UsageError(`unknown preset '${presetName}': choose one of ${listPresetNames().join(', ')}`);
  const dataDir = (o['data-dir'] as string | undefined) ?? preset.dataDir;
  if (!existsSync(dataDir)) throw new UsageError(`data folder ${dataDir} does not exist: run \`npm run data\` or pass --data-dir`);
  const outDir = resolve((o.out as string | undefined) ?? join('reports', presetName));
  const runsDir = join(outDir, 'runs');
  await mkdir(runsDir, { recursive: true });
  const seeds = Array.from({ length: o.seeds as number }, (_, i) => i + 1);
  const quick = Boolean(o.quick);
  const trainArgs = mergeTrainArgs(['--data-dir', dataDir, ...preset.args], quick ? preset.quickArgs : []);

  const started = Date.now();
  const results: JobResult[] = [];
  const total = seeds.length * preset.jobs.length;
  for (const seed of seeds) {
    for (const job of preset.jobs) {
      const tag = `[${presetName} ${results.length + 1}/${total}: ${job.label}, seed ${seed}]`;
      process.stderr.write(`${tag} starting\n`);
      results.push(await runJob(job, seed, trainArgs, runsDir, tag));
      const elapsed = (Date.now() - started) / 1000;
      const left = (elapsed / results.length) * (total - results.length);
      process.stderr.write(`${tag} done in ${results.at(-1)!.seconds.toFixed(0)} s; about ${Math.ceil(left / 60)} min left\n`);
    }
  }

  const ctx: ReportContext = {
    presetName,
    preset,
    seeds,
    quick,
    runnerCommand: `npm run experiment -- ${process.argv.slice(2).join(' ')}`,
    trainArgs,
    totalSeconds: (Date.now() - started) / 1000,
    startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: `${cpus().length} CPU cores, Node ${process.version}, tfjs wasm backend`,
    plotFile: 'plot.png',
  };
  await writeFile(join(outDir, 'plot.png'), renderPlotPng(buildPlotSpec(ctx, results)));
  await writeFile(join(outDir, 'report.md'), renderReport(ctx, results));
  await writeFile(join(outDir, 'results.json'), JSON.stringify({ preset: presetName, seeds, trainArgs, results: results.map(({ job, ...r }) => ({ job: job.label, ...r })) }, null, 1));
  process.stdout.write(`${renderReport(ctx, results)}\nwrote ${relative(process.cwd(), outDir) || '.'}/report.md and plot.png\n`);
}

/** Run `npm run train` for one job and seed in a child process; its progress lines go to stderr with the tag. */
async function runJob(job: ExperimentJob, seed: number, trainArgs: string[], runsDir: string, tag: string): Promise<JobResult> {
  const slug = job.label.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '') || 'run';
  const jsonPath = join(runsDir, `${slug}-seed${seed}.json`);
  const args = mergeTrainArgs(trainArgs, [...job.args, '--seed', String(seed)]);
  const started = Date.now();
  const lastLines: string[] = [];
  const code = await new Promise<number | null>((resolveExit, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TRAIN_SCRIPT, ...args, '--json', jsonPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let buffered = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        lastLines.push(line);
        if (lastLines.length > 5) lastLines.shift();
        process.stderr.write(`${tag} ${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', resolveExit);
  });
  if (code !== 0) throw new Error(`${tag} npm run train failed (status ${code}): ${lastLines.at(-1) ?? 'no output'}`);
  const out = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    runs: { name: string; final: RunFinal }[];
    labelNoise?: { flipped: number };
    imbalance?: { classCounts: number[] };
  };
  return {
    job,
    seed,
    command: `npm run train -- ${args.join(' ')}`,
    seconds: (Date.now() - started) / 1000,
    runs: out.runs.map((r) => ({ name: r.name, final: r.final })),
    flipped: out.labelNoise?.flipped ?? 0,
    classCounts: out.imbalance?.classCounts ?? [],
  };
}

runCli(main);
