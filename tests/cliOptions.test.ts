// The CLI option table's value kinds that need more than Number(): ratios (--epsilon 8/255) and fixed-length
// comma-separated lists (--fewshot 5,1), including their defaults and their one-line errors.
import { describe, expect, it } from 'vitest';
import { formatHelp, parseOptions, UsageError, type OptionTable } from '../src/cli/options';

const TABLE: OptionTable = {
  epsilon: { kind: 'fraction', min: 0, max: 1, default: '8/255', help: 'radius' },
  fewshot: { kind: 'ints', count: 2, min: 1, meta: 'WAYS,SHOTS', help: 'episodes' },
};

describe('option kinds', () => {
  it('reads a fraction as a number or a ratio, its default included', () => {
    expect(parseOptions([], TABLE).epsilon).toBe(8 / 255);
    expect(parseOptions(['--epsilon', '4/255'], TABLE).epsilon).toBe(4 / 255);
    expect(parseOptions(['--epsilon=0.25'], TABLE).epsilon).toBe(0.25);
    expect(parseOptions(['--epsilon', '0'], TABLE).epsilon).toBe(0);
    expect(formatHelp('usage', TABLE)).toMatch(/--epsilon N\s+radius \(default 8\/255; range 0\.\.1\)/);
  });

  it.each(['8/', '/255', '1/0', 'a/b', '1/2/3', ''])('rejects the fraction %j in one line', (raw) => {
    expect(() => parseOptions(['--epsilon', raw], TABLE)).toThrow(UsageError);
    expect(() => parseOptions(['--epsilon', raw], TABLE)).toThrow(/^--epsilon must be a number or a ratio like 8\/255/);
  });

  it('applies the range to a ratio', () => {
    expect(() => parseOptions(['--epsilon', '300/255'], TABLE)).toThrow(/--epsilon must be at most 1/);
  });

  it('reads a fixed-length list of whole numbers', () => {
    expect(parseOptions(['--fewshot', '5,1'], TABLE).fewshot).toEqual([5, 1]);
    expect(parseOptions([], TABLE).fewshot).toBeUndefined();
    for (const raw of ['5', '5,1,2', '5,', '5,1.5', 'a,b']) {
      expect(() => parseOptions(['--fewshot', raw], TABLE)).toThrow(/--fewshot must be 2 comma-separated whole numbers \(WAYS,SHOTS\)/);
    }
    expect(() => parseOptions(['--fewshot', '0,1'], TABLE)).toThrow(/each number must be at least 1/);
  });
});
