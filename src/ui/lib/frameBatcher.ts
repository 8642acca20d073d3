// Collects messages as they arrive and hands them over in one batch per animation frame, so the page renders
// at most once per frame however fast a worker talks. A hidden tab gets no frames, so it falls back to a timer.

export type Schedule = (run: () => void) => () => void;

/** requestAnimationFrame while the page is visible, a 250 ms timer while it is hidden. */
export const scheduleNextFrame: Schedule = (run) => {
  if (typeof document !== 'undefined' && document.hidden) {
    const t = setTimeout(run, 250);
    return () => clearTimeout(t);
  }
  const id = requestAnimationFrame(run);
  return () => cancelAnimationFrame(id);
};

export interface FrameBatcher<T> {
  /** Queue an item; the flush runs on the next frame with everything queued by then. */
  push(item: T): void;
  /** Drop what is queued and cancel the pending flush. */
  cancel(): void;
}

export function createFrameBatcher<T>(flush: (items: T[]) => void, schedule: Schedule = scheduleNextFrame): FrameBatcher<T> {
  let queue: T[] = [];
  let cancelPending: (() => void) | null = null;
  const run = () => {
    cancelPending = null;
    const items = queue;
    queue = [];
    if (items.length > 0) flush(items);
  };
  return {
    push(item) {
      queue.push(item);
      if (!cancelPending) cancelPending = schedule(run);
    },
    cancel() {
      cancelPending?.();
      cancelPending = null;
      queue = [];
    },
  };
}
