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
