// Out-of-memory failures get their own message (what was too large, what to lower) instead of a backend
// fallback; other failures do not match.
import { describe, expect, it } from 'vitest';
import { describeOutOfMemory, isOutOfMemory } from '../src/worker/faults';
import { defaultSettings } from '../src/ui/settings';

describe('out of memory', () => {
  it('recognises the allocation failures of WebGPU, WebGL and wasm', () => {
    for (const text of [
      'Out of memory',
      'Aborted(OOM)',
      'RangeError: Array buffer allocation failed',
      'Cannot enlarge memory arrays to size 4294967296 bytes',
      'WebAssembly.Memory.grow(): Maximum memory size exceeded',
      'Failed to allocate buffer of 2147483648 bytes',
      'Requested texture size [65536x1024] greater than WebGL maximum on this browser / GPU [16384x16384].',
    ]) {
      expect(isOutOfMemory(new Error(text)), text).toBe(true);
    }
    expect(isOutOfMemory(Object.assign(new Error('too big'), { name: 'RangeError' }))).toBe(false);
    for (const text of ['the WebGPU device was lost (GPU process crashed)', 'shader compilation failed', 'NaN']) expect(isOutOfMemory(new Error(text)), text).toBe(false);
    expect(isOutOfMemory('Out of memory')).toBe(true);
  });

  it('names the configuration and what to lower, in one line', () => {
    const settings = { ...defaultSettings(), model: 'resnet20' as const, width: 64, batchSize: 512 };
    const line = describeOutOfMemory(settings, 'wasm', new Error('Aborted(OOM)'));
    expect(line).toContain('resnet20 width 64, batch 512');
    expect(line).toContain('Lower the batch size');
    expect(line).toContain('Aborted(OOM)');
    expect(line).not.toContain('\n');
  });
});
