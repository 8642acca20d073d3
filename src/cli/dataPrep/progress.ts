// A small progress display for the data command on stderr: a bar redrawn in place with \r on a
// terminal, and a few plain lines (phase start and end) when stderr is a pipe or a log file.

/** Progress of one phase at a time (fetch, extract, decode, write). */
export interface Progress {
  /** Begin a phase; `total` steps when known, else an elapsed-time spinner. */
  start(label: string, total?: number): void;
  /** Report `done` of `total` steps, with an optional detail such as a file name. */
  update(done: number, detail?: string): void;
  /** End the current phase with an optional summary. */
  finish(summary?: string): void;
  /** Print a message line without disturbing the bar. */
  note(message: string): void;
  /** Stop the current phase without a summary (before an error message is printed). */
  abort(): void;
}

/** The stream the progress is written to (process.stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

import { renderBar } from '../progress';

const BAR_WIDTH = 24;

/** Format milliseconds as seconds with one decimal. */
function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Create a progress display that redraws on a TTY and prints plain start/end lines otherwise. */
export function createProgress(stream: ProgressStream): Progress {
  const tty = stream.isTTY === true;
  let label = '';
  let total: number | undefined;
  let done = 0;
  let detail = '';
  let startedAt = 0;
  let active = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const render = (): string => {
    const elapsed = formatSeconds(Date.now() - startedAt);
    if (total === undefined || total <= 0) return `${label} ${elapsed}${detail ? ` ${detail}` : ''}`;
    return `${label} ${renderBar(done / total, BAR_WIDTH)}${detail ? ` ${detail}` : ''} ${elapsed}`;
  };
  const redraw = (): void => {
    if (!tty || !active) return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[K${render().slice(0, width)}`);
  };
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    start(nextLabel, nextTotal) {
      if (active) this.finish();
      label = nextLabel;
      total = nextTotal;
      done = 0;
      detail = '';
      startedAt = Date.now();
      active = true;
      if (tty) {
        redraw();
        timer = setInterval(redraw, 250);
        timer.unref?.();
      } else {
        stream.write(`${label}...\n`);
      }
    },
    update(nextDone, nextDetail) {
      done = nextDone;
      if (nextDetail !== undefined) detail = nextDetail;
      redraw();
    },
    finish(summary) {
      if (!active) return;
      stopTimer();
      if (total !== undefined) done = total;
      const elapsed = formatSeconds(Date.now() - startedAt);
      if (tty) stream.write(`\r\x1b[K`);
      stream.write(`${label}: ${summary ?? 'done'} (${elapsed})\n`);
      active = false;
    },
    abort() {
      if (!active) return;
      stopTimer();
      if (tty) stream.write('\r\x1b[K');
      active = false;
    },
    note(message) {
      if (tty && active) stream.write('\r\x1b[K');
      stream.write(`${message}\n`);
      redraw();
    },
  };
}
