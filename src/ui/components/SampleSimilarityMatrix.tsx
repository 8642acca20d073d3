// Pairwise cosines of a few hundred embedded test images sorted by class, one pixel per pair, with class
// boundaries marked: same-class blocks sit on the diagonal. Hover shows the pair's classes and cosine.
import { memo, useState } from 'react';
import { classColor, paintDiverging } from '../lib/colorScale';
import { formatNumber } from '../lib/format';
import type { SampleGeometry } from '../../core/eval/sampleGeometry';
import { drawPixels, gridCellAt, pointerInCanvas, useCanvas } from '../useCanvas';
import { CosineLegend } from './CosineLegend';
import { HoverCard } from './HoverCard';

interface Props {
  geometry?: SampleGeometry;
  classNames: string[];
  size?: number;
}

const STRIP = 6;

/** Memoised: what it draws changes once per epoch (or per UMAP layout), while the page re-renders on every step. */
export const SampleSimilarityMatrix = memo(function SampleSimilarityMatrix({ geometry, classNames, size = 300 }: Props) {
  const [hover, setHover] = useState<{ i: number; j: number; left: number; top: number } | null>(null);
  const n = geometry?.n ?? 0;
  const grid = size - STRIP - 2;
  const cell = n > 0 ? grid / n : 0;
  const ref = useCanvas(
    (ctx) => {
      if (!geometry || n === 0) return;
      const pixels = new ImageData(n, n);
      paintDiverging(geometry.cosines, pixels.data);
      drawPixels(ctx, pixels, STRIP + 2, STRIP + 2, grid, grid);
      // Class strips along the top and left edges, and thin lines at the class boundaries.
      for (const run of geometry.classRuns) {
        ctx.fillStyle = classColor(run.label, classNames.length);
        ctx.fillRect(STRIP + 2 + run.start * cell, 0, (run.end - run.start) * cell, STRIP);
        ctx.fillRect(0, STRIP + 2 + run.start * cell, STRIP, (run.end - run.start) * cell);
      }
      ctx.strokeStyle = 'rgba(15, 23, 42, 0.5)';
      ctx.lineWidth = 0.75;
      for (const run of geometry.classRuns.slice(1)) {
        const at = STRIP + 2 + run.start * cell;
        ctx.beginPath();
        ctx.moveTo(at, STRIP + 2);
        ctx.lineTo(at, size);
        ctx.moveTo(STRIP + 2, at);
        ctx.lineTo(size, at);
        ctx.stroke();
      }
    },
    size,
    size,
    [geometry, classNames],
  );
  if (!geometry || n === 0) return <p className="empty">Appears after the first epoch.</p>;
  const name = (k: number) => classNames[geometry.labels[k]] ?? `class ${geometry.labels[k]}`;
  return (
    <div className="canvas-panel">
      <div className="canvas-wrap">
        <canvas
          ref={ref}
          style={{ maxWidth: size }}
          role="img"
          aria-label={`Pairwise cosines of ${n} test images sorted by class`}
          onMouseMove={(e) => {
            const p = pointerInCanvas(e, size, size);
            const at = gridCellAt(p, STRIP + 2, cell, n);
            setHover(at && { ...at, left: p.left, top: p.top });
          }}
          onMouseLeave={() => setHover(null)}
        />
        {hover && (
          <HoverCard left={hover.left} top={hover.top}>
            {name(hover.i)} · {name(hover.j)}: <strong>{formatNumber(geometry.cosines[hover.i * n + hover.j], 3)}</strong>
          </HoverCard>
        )}
      </div>
      <CosineLegend />
    </div>
  );
});
