// A tiny 5×7 bitmap font for labelling the experiment plots in plain RGBA buffers (no canvas in Node):
// upper-case letters (lower case is drawn upper case), digits and the few symbols the plots need.

/** Each glyph: 7 rows of 5 pixels, '#' = ink, rows separated by '/'. */
const GLYPHS: Record<string, string> = {
  A: '.###./#...#/#...#/#####/#...#/#...#/#...#', B: '####./#...#/#...#/####./#...#/#...#/####.',
  C: '.###./#...#/#..../#..../#..../#...#/.###.', D: '####./#...#/#...#/#...#/#...#/#...#/####.',
  E: '#####/#..../#..../####./#..../#..../#####', F: '#####/#..../#..../####./#..../#..../#....',
  G: '.###./#...#/#..../#.###/#...#/#...#/.####', H: '#...#/#...#/#...#/#####/#...#/#...#/#...#',
  I: '.###./..#../..#../..#../..#../..#../.###.', J: '..###/...#./...#./...#./...#./#..#./.##..',
  K: '#...#/#..#./#.#../##.../#.#../#..#./#...#', L: '#..../#..../#..../#..../#..../#..../#####',
  M: '#...#/##.##/#.#.#/#.#.#/#...#/#...#/#...#', N: '#...#/#...#/##..#/#.#.#/#..##/#...#/#...#',
  O: '.###./#...#/#...#/#...#/#...#/#...#/.###.', P: '####./#...#/#...#/####./#..../#..../#....',
  Q: '.###./#...#/#...#/#...#/#.#.#/#..#./.##.#', R: '####./#...#/#...#/####./#.#../#..#./#...#',
  S: '.####/#..../#..../.###./....#/....#/####.', T: '#####/..#../..#../..#../..#../..#../..#..',
  U: '#...#/#...#/#...#/#...#/#...#/#...#/.###.', V: '#...#/#...#/#...#/#...#/#...#/.#.#./..#..',
  W: '#...#/#...#/#...#/#.#.#/#.#.#/#.#.#/.#.#.', X: '#...#/#...#/.#.#./..#../.#.#./#...#/#...#',
  Y: '#...#/#...#/.#.#./..#../..#../..#../..#..', Z: '#####/....#/...#./..#../.#.../#..../#####',
  '0': '.###./#...#/#..##/#.#.#/##..#/#...#/.###.', '1': '..#../.##../..#../..#../..#../..#../.###.',
  '2': '.###./#...#/....#/...#./..#../.#.../#####', '3': '####./....#/....#/.###./....#/....#/####.',
  '4': '...#./..##./.#.#./#..#./#####/...#./...#.', '5': '#####/#..../####./....#/....#/#...#/.###.',
  '6': '..##./.#.../#..../####./#...#/#...#/.###.', '7': '#####/....#/...#./..#../.#.../.#.../.#...',
  '8': '.###./#...#/#...#/.###./#...#/#...#/.###.', '9': '.###./#...#/#...#/.####/....#/...#./.##..',
  ' ': '...../...../...../...../...../...../.....', '.': '...../...../...../...../...../.##../.##..',
  ',': '...../...../...../...../.##../..#../.#...', '-': '...../...../...../.###./...../...../.....',
  '+': '...../..#../..#../#####/..#../..#../.....', '±': '..#../..#../#####/..#../..#../...../#####',
  '(': '...#./..#../.#.../.#.../.#.../..#../...#.', ')': '.#.../..#../...#./...#./...#./..#../.#...',
  '/': '...../....#/...#./..#../.#.../#..../.....', ':': '...../.##../.##../...../.##../.##../.....',
  '%': '##..#/##.#./...#./..#../.#.../.#.##/#..##', '=': '...../...../#####/...../#####/...../.....',
  'Γ': '#####/#..../#..../#..../#..../#..../#....', γ: '...../#...#/#...#/.#.#./..#../.#.#./..#..',
  λ: '.#.../..#../..#../.#.#./.#.#./#...#/#...#', ρ: '...../.###./#...#/#...#/####./#..../#....',
  '·': '...../...../...../..#../...../...../.....', '×': '...../#...#/.#.#./..#../.#.#./#...#/.....',
  '<': '...#./..#../.#.../#..../.#.../..#../...#.', '>': '.#.../..#../...#./....#/...#./..#../.#...',
  '?': '.###./#...#/....#/...#./..#../...../..#..',
};

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal advance per character at scale 1 (glyph + one pixel gap). */
export const CHAR_ADVANCE = GLYPH_WIDTH + 1;

/** An RGBA image held as bytes, row-major, 4 bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Width in pixels of `text` at `scale`. */
export function measureText(text: string, scale = 1): number {
  return Math.max(0, text.length * CHAR_ADVANCE - 1) * scale;
}

/**
 * Draw `text` with its top-left corner at (x, y), each font pixel a scale×scale square of `color` (RGB).
 * Unknown characters draw as '?'. Pixels outside the image are skipped. Modifies `image` in place.
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, color: [number, number, number], scale = 1): void {
  let penX = Math.round(x);
  for (const ch of text) {
    const glyph = GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? GLYPHS['?'];
    glyph.split('/').forEach((row, gy) => {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (row[gx] !== '#') continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) setPixel(image, penX + gx * scale + dx, Math.round(y) + gy * scale + dy, color);
        }
      }
    });
    penX += CHAR_ADVANCE * scale;
  }
}

/** Set one opaque pixel; out-of-range coordinates are ignored. */
export function setPixel(image: RgbaImage, x: number, y: number, color: [number, number, number]): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * 4;
  image.data[i] = color[0];
  image.data[i + 1] = color[1];
  image.data[i + 2] = color[2];
  image.data[i + 3] = 255;
}
