// A value that follows its input at most once per interval: charts of per-step series redraw on this cadence
// (a recharts chart costs tens of milliseconds of main thread), while the numbers and status follow every frame.
import { useEffect, useRef, useState } from 'react';

/**
 * How long to wait before showing a new value, given when the last one was shown (ms, same clock as `now`):
 * 0 once `interval` has passed since, else the rest of the interval.
 */
export function computeThrottleDelay(lastShownAt: number, now: number, interval: number): number {
  return Math.max(0, lastShownAt + interval - now);
}

/** `value`, updated at most once per `interval` ms; the latest value always shows within `interval` ms. */
export function useThrottled<T>(value: T, interval: number): T {
  const [shown, setShown] = useState(value);
  const lastShownAt = useRef(-Infinity);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const delay = computeThrottleDelay(lastShownAt.current, performance.now(), interval);
    const timer = setTimeout(() => {
      lastShownAt.current = performance.now();
      setShown(value);
    }, delay);
    return () => clearTimeout(timer);
  }, [value, shown, interval]);
  return shown;
}

/**
 * `value`, shown `delay` ms after it changes (at once when delay ≤ 0). Panels that all change at an epoch's
 * end take different delays so that each redraws in its own main-thread task instead of one long one.
 */
export function useDelayed<T>(value: T, delay: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (delay <= 0 || Object.is(value, shown)) return;
    const timer = setTimeout(() => setShown(value), delay);
    return () => clearTimeout(timer);
  }, [value, shown, delay]);
  return delay <= 0 ? value : shown;
}
