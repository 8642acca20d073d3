// Number formatting on the panels: dashes for missing values, clean ticks, signed differences.
import { describe, expect, it } from 'vitest';
import { formatDelta, formatDuration, formatNumber, formatPercent, formatTick, shorten } from '../src/ui/lib/format';

describe('format', () => {
  it('shows a dash for missing values', () => {
    expect(formatNumber(undefined)).toBe('–');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatPercent(null)).toBe('–');
    expect(formatDelta(NaN)).toBe('–');
  });
  it('formats ticks, percentages, differences and durations', () => {
    expect([0, 0.25, 0.5, 0.75, 1].map(formatTick)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(formatPercent(0.567)).toBe('57%');
    expect(formatDelta(0.123)).toBe('+0.12');
    expect(formatDelta(-0.051)).toBe('−0.05');
    expect(formatDelta(-0.001)).toBe('±0.00');
    expect(formatDelta(-3.4, 0)).toBe('−3');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
  });
  it('shortens long user input', () => {
    expect(shorten('abc', 5)).toBe('abc');
    expect(shorten('abcdefgh', 5)).toBe('abcde…');
  });
});
