// Progress display on stderr: on a terminal, a block of lines redrawn in place; elsewhere (CI, pipes),
// plain lines at most every few seconds so logs stay short.

export interface ProgressBlock {
  /** Redraw with one text line per row; `fraction` in 0..1 for each row's bar. */
  update(rows: { label: string; fraction: number; detail: string }[], force?: boolean): void;
  /** Leave the last state on screen and move below it. */
  done(): void;
}

const BAR_WIDTH = 28;
const PLAIN_INTERVAL_MS = 5000;

/** Render one bar: [#########-----------]  45% */
export function renderBar(fraction: number, width = BAR_WIDTH): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): ProgressBlock {
  const tty = Boolean(stream.isTTY);
  let drawn = 0;
  let lastPlain = 0;
  let last: string[] = [];
  let lastShown = true; // plain mode: whether `last` has been printed
  return {
    update(rows, force = false) {
      const width = Math.max(...rows.map((r) => r.label.length));
      last = rows.map((r) => `${r.label.padEnd(width)} ${renderBar(r.fraction)} ${r.detail}`);
      if (tty) {
        if (drawn > 0) stream.write(`\x1b[${drawn}A`);
        for (const line of last) stream.write(`\x1b[2K${line}\n`);
        drawn = last.length;
      } else if (force || Date.now() - lastPlain >= PLAIN_INTERVAL_MS) {
        lastPlain = Date.now();
        for (const line of last) stream.write(`${line}\n`);
        lastShown = true;
      } else {
        lastShown = false;
      }
    },
    done() {
      if (!tty && !lastShown) for (const line of last) stream.write(`${line}\n`);
      drawn = 0;
      last = [];
    },
  };
}
