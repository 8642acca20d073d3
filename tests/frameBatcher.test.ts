// Messages are delivered in one batch per frame, in order; cancel drops the queue.
import { describe, expect, it } from 'vitest';
import { createFrameBatcher } from '../src/ui/lib/frameBatcher';

function manualFrames() {
  const pending: Array<() => void> = [];
  return {
    schedule: (run: () => void) => {
      pending.push(run);
      return () => pending.splice(pending.indexOf(run), 1);
    },
    frame: () => pending.splice(0).forEach((run) => run()),
    get scheduled() {
      return pending.length;
    },
  };
}

describe('createFrameBatcher', () => {
  it('schedules one flush per frame with everything pushed before it', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const b = createFrameBatcher<number>((items) => flushed.push(items), frames.schedule);
    b.push(1);
    b.push(2);
    b.push(3);
    expect(frames.scheduled).toBe(1);
    frames.frame();
    b.push(4);
    frames.frame();
    frames.frame();
    expect(flushed).toEqual([[1, 2, 3], [4]]);
  });

  it('cancel drops what is queued', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const b = createFrameBatcher<number>((items) => flushed.push(items), frames.schedule);
    b.push(1);
    b.cancel();
    frames.frame();
    expect(flushed).toEqual([]);
    b.push(2);
    frames.frame();
    expect(flushed).toEqual([[2]]);
  });
});
