// Turns the experiment runner's per-seed results into rows of mean ± std per metric, the Markdown report
// and the plot's specification. Pure functions on plain objects: nothing here trains or touches files.
import type { PlotSpec } from './plot';
import type { ExperimentJob, ExperimentPreset, RunFinal } from './presets';

/** One finished `npm run train` invocation (one job, one seed). */
export interface JobResult {
  job: ExperimentJob;
  seed: number;
  /** The command as a user would type it. */
  command: string;
  seconds: number;
  runs: { name: string; final: RunFinal }[];
  /** From the train JSON: labels flipped and training images per class (clean labels). */
  flipped: number;
  classCounts: number[];
}

/** A report row: one run (CE or CE + OPL) of one job, with every metric's value per seed. */
export interface SummaryRow {
  label: string;
  job: ExperimentJob;
  runName: string;
  /** metric name → one value per seed, in seed order. */
  values: Record<string, number[]>;
  /** per seed, per class test accuracy. */
  perClass: number[][];
}

/** The metrics every report has, read from a run's final results. */
export const BASE_METRICS: { name: string; read: (f: RunFinal) => number }[] = [
  { name: 'test accuracy', read: (f) => f.testAccuracy },
  { name: 'same-class cos', read: (f) => f.meanSameClassCos },
  { name: 'different-class cos', read: (f) => f.meanDiffClassCos },
  { name: 'class-mean off-diagonal cos', read: (f) => f.classMeanOffDiagCos },
];

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function computeMeanStd(values: number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/** Every metric the preset reports, in column order. */
export function listMetrics(preset: ExperimentPreset): { name: string; read: (f: RunFinal) => number }[] {
  return [...BASE_METRICS, ...preset.extra];
}

/** Group job results into rows (job order, then run order), each metric's values in seed order. */
export function summariseResults(preset: ExperimentPreset, results: JobResult[]): SummaryRow[] {
  const metrics = listMetrics(preset);
  const rows: SummaryRow[] = [];
  const bySeed = [...results].sort((a, b) => a.seed - b.seed);
  for (const job of preset.jobs) {
    const jobResults = bySeed.filter((r) => r.job === job);
    const names = jobResults[0]?.runs.map((r) => r.name) ?? [];
    for (const runName of names) {
      const finals = jobResults.map((r) => r.runs.find((x) => x.name === runName)!.final);
      rows.push({
        label: preset.jobs.length === 1 || runName === job.label ? runName : `${runName}, ${job.label}`,
        job,
        runName,
        values: Object.fromEntries(metrics.map((m) => [m.name, finals.map(m.read)])),
        perClass: finals.map((f) => f.perClassAccuracy),
      });
    }
  }
  return rows;
}

/** "0.512 ± 0.020" */
export function formatMeanStd(values: number[]): string {
  const { mean, std } = computeMeanStd(values);
  return `${mean.toFixed(3)} ± ${std.toFixed(3)}`;
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds - 60 * m)} s` : `${seconds.toFixed(1)} s`;
}

function tableOf(head: string[], body: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Everything the report states besides the results. */
export interface ReportContext {
  presetName: string;
  preset: ExperimentPreset;
  seeds: number[];
  quick: boolean;
  /** The runner's own command line. */
  runnerCommand: string;
  /** Shared training arguments actually used (after --quick and --data-dir). */
  trainArgs: string[];
  totalSeconds: number;
  startedAt: string;
  machine: string;
  plotFile: string;
}

/** The Markdown report: config, results table (mean ± std over seeds), per-class table, commands and times. */
export function renderReport(ctx: ReportContext, results: JobResult[]): string {
  const metrics = listMetrics(ctx.preset);
  const rows = summariseResults(ctx.preset, results);
  const first = results[0];
  const lines: string[] = [
    `# Experiment \`${ctx.presetName}\`${ctx.quick ? ' (quick)' : ''}`,
    '',
    ctx.preset.summary + '.',
    '',
    `- Runner: \`${ctx.runnerCommand}\``,
    `- Seeds: ${ctx.seeds.join(', ')} (each seed fixes the subset, the initial weights, the batch order, the augmentation and any label noise; CE and CE + OPL of one seed share all of them)`,
    `- Started ${ctx.startedAt}; total time ${formatDuration(ctx.totalSeconds)} on ${ctx.machine}`,
    `- Shared training arguments: \`${ctx.trainArgs.join(' ')}\``,
  ];
  if (first) {
    lines.push(`- Training images per class (clean labels): ${first.classCounts.join(', ')}`);
    if (first.flipped > 0) lines.push(`- Training labels flipped per seed: ${results.filter((r) => r.job === first.job).map((r) => r.flipped).join(', ')} of ${first.classCounts.reduce((a, b) => a + b, 0)} (test labels clean)`);
  }
  lines.push('', '## Results (test set, mean ± std over seeds)', '');
  lines.push(tableOf(['run', ...metrics.map((m) => m.name)], rows.map((r) => [r.label, ...metrics.map((m) => formatMeanStd(r.values[m.name]))])));
  if (ctx.preset.plot === 'perClass' && rows.length > 0) {
    const numClasses = rows[0].perClass[0]?.length ?? 0;
    lines.push('', '## Per-class test accuracy (mean ± std over seeds)', '');
    lines.push(tableOf(['class', 'train n', ...rows.map((r) => r.label)], Array.from({ length: numClasses }, (_, c) => [
      String(c), String(first?.classCounts[c] ?? ''), ...rows.map((r) => formatMeanStd(r.perClass.map((p) => p[c]))),
    ])));
  }
  lines.push('', `![plot](${ctx.plotFile})`, '', '## Commands', '');
  lines.push(tableOf(['seed', 'command', 'time'], results.map((r) => [String(r.seed), `\`${r.command}\``, formatDuration(r.seconds)])));
  lines.push('');
  return lines.join('\n');
}

/** The plot for the preset's layout (see PlotKind). */
export function buildPlotSpec(ctx: Pick<ReportContext, 'presetName' | 'preset' | 'seeds'>, results: JobResult[]): PlotSpec {
  const rows = summariseResults(ctx.preset, results);
  const title = `${ctx.presetName}: CE vs CE + OPL, ${ctx.seeds.length} seed${ctx.seeds.length === 1 ? '' : 's'}`;
  const stat = (values: number[]) => computeMeanStd(values);
  if (ctx.preset.plot === 'gamma') {
    const ce = rows.find((r) => r.runName === 'CE');
    const opl = rows.filter((r) => r.job.x !== undefined);
    const panel = (metric: string) => ({
      title: metric,
      xLabel: 'γ (λ = 1)',
      yLabel: metric.split(' ')[0],
      categories: opl.map((r) => String(r.job.x)),
      connect: true,
      series: [
        { name: 'CE', means: opl.map(() => (ce ? stat(ce.values[metric]).mean : NaN)), stds: opl.map(() => (ce ? stat(ce.values[metric]).std : 0)) },
        { name: 'CE + OPL', means: opl.map((r) => stat(r.values[metric]).mean), stds: opl.map((r) => stat(r.values[metric]).std) },
      ],
    });
    return { title, panels: [panel('test accuracy'), panel('different-class cos'), panel('class-mean off-diagonal cos')] };
  }
  if (ctx.preset.plot === 'perClass') {
    const numClasses = rows[0]?.perClass[0]?.length ?? 0;
    return {
      title,
      panels: [{
        title: 'per-class test accuracy (classes from largest to smallest)',
        xLabel: 'class',
        yLabel: 'accuracy',
        categories: Array.from({ length: numClasses }, (_, c) => String(c)),
        connect: true,
        series: rows.map((r) => ({
          name: r.label,
          means: Array.from({ length: numClasses }, (_, c) => stat(r.perClass.map((p) => p[c])).mean),
          stds: Array.from({ length: numClasses }, (_, c) => stat(r.perClass.map((p) => p[c])).std),
        })),
      }],
    };
  }
  const metrics = listMetrics(ctx.preset);
  return {
    title,
    panels: [{
      title: 'test-set metrics',
      xLabel: 'metric',
      yLabel: 'value',
      categories: metrics.map((m) => abbreviate(m.name)),
      connect: false,
      series: rows.map((r) => ({
        name: r.label,
        means: metrics.map((m) => stat(r.values[m.name]).mean),
        stds: metrics.map((m) => stat(r.values[m.name]).std),
      })),
    }],
  };
}

/** Short x-axis names for the metric categories. */
function abbreviate(name: string): string {
  const short: Record<string, string> = {
    'test accuracy': 'acc',
    'same-class cos': 'same cos',
    'different-class cos': 'diff cos',
    'class-mean off-diagonal cos': 'mean offdiag',
  };
  return short[name] ?? name.split(' ').slice(0, 2).join(' ');
}
