// The charts' refresh cadence: a new value shows at once after a quiet interval, else when the interval ends.
import { describe, expect, it } from 'vitest';
import { computeThrottleDelay } from '../src/ui/useThrottled';

describe('computeThrottleDelay', () => {
  it('shows at once the first time and after a full interval', () => {
    expect(computeThrottleDelay(-Infinity, 5, 1000)).toBe(0);
    expect(computeThrottleDelay(100, 1100, 1000)).toBe(0);
    expect(computeThrottleDelay(100, 5000, 1000)).toBe(0);
  });

  it('waits for the rest of the interval otherwise', () => {
    expect(computeThrottleDelay(100, 350, 1000)).toBe(750);
    expect(computeThrottleDelay(100, 100, 1000)).toBe(1000);
  });
});
