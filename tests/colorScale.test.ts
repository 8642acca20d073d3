// The diverging cosine scale: −1 blue, 0 white, +1 red, clamped, monotone, grey for missing values.
import { describe, expect, it } from 'vitest';
import { COSINE_MISSING, COSINE_NEGATIVE, COSINE_POSITIVE, classColor, divergingColor, paintDiverging } from '../src/ui/lib/colorScale';

describe('divergingColor', () => {
  it('hits the ends and the white midpoint', () => {
    expect(divergingColor(-1)).toEqual(COSINE_NEGATIVE);
    expect(divergingColor(0)).toEqual([255, 255, 255]);
    expect(divergingColor(1)).toEqual(COSINE_POSITIVE);
  });

  it('clamps out-of-range values and greys out NaN', () => {
    expect(divergingColor(-3)).toEqual(COSINE_NEGATIVE);
    expect(divergingColor(2)).toEqual(COSINE_POSITIVE);
    expect(divergingColor(NaN)).toEqual(COSINE_MISSING);
  });

  it('gets more saturated with |value| (red channel falls on the blue side, blue falls on the red side)', () => {
    for (let v = 0; v < 1; v += 0.1) {
      expect(divergingColor(-v - 0.1)[0]).toBeLessThanOrEqual(divergingColor(-v)[0]);
      expect(divergingColor(v + 0.1)[2]).toBeLessThanOrEqual(divergingColor(v)[2]);
    }
  });
});

describe('classColor', () => {
  it('gives distinct colours to every class, up to 100', () => {
    for (const n of [2, 10, 20, 100]) {
      const colours = Array.from({ length: n }, (_, i) => classColor(i, n));
      expect(new Set(colours).size).toBe(n);
    }
  });
});

describe('paintDiverging', () => {
  it('writes the colours of divergingColor, opaque, four bytes per value', () => {
    const values = [-2, -1, -0.73, -0.5, -0.01, 0, 0.004, 0.3333, 0.5, 0.99, 1, 7, NaN, Infinity];
    const out = new Uint8ClampedArray(values.length * 4);
    paintDiverging(values, out);
    values.forEach((v, k) => expect(Array.from(out.subarray(k * 4, k * 4 + 4)), `value ${v}`).toEqual([...divergingColor(v), 255]));
  });
});
