// The C x C cosine matrix between class-mean test features, on a canvas with the diverging scale; the value
// of the cell under the pointer shows on hover. Small matrices also print their values.
import { memo, useState } from 'react';
import { divergingColor, toCss } from '../lib/colorScale';
import { formatNumber } from '../lib/format';
import { drawPixels, gridCellAt, pointerInCanvas, useCanvas } from '../useCanvas';
import { CosineLegend } from './CosineLegend';
import { HoverCard } from './HoverCard';

interface Props {
  matrix?: number[][];
  classNames: string[];
  /** Canvas side in CSS pixels. */
  size?: number;
}

const LABEL_ROOM = 70;

/** Memoised: what it draws changes once per epoch (or per UMAP layout), while the page re-renders on every step. */
export const ClassSimilarityHeatmap = memo(function ClassSimilarityHeatmap({ matrix, classNames, size = 300 }: Props) {
  const [hover, setHover] = useState<{ i: number; j: number; left: number; top: number } | null>(null);
  const n = matrix?.length ?? 0;
  const labelled = n > 0 && n <= 20;
  const margin = labelled ? LABEL_ROOM : 4;
  const grid = size - margin - 4;
  const cell = n > 0 ? grid / n : 0;

  const ref = useCanvas(
    (ctx) => {
      if (!matrix || n === 0) return;
      const pixels = new ImageData(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const [r, g, b] = divergingColor(matrix[i][j]);
          pixels.data.set([r, g, b, 255], (i * n + j) * 4);
        }
      }
      drawPixels(ctx, pixels, margin, margin, grid, grid);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#334155';
      if (labelled) {
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        classNames.slice(0, n).forEach((name, i) => ctx.fillText(name.slice(0, 11), margin - 4, margin + (i + 0.5) * cell));
        ctx.textAlign = 'left';
        classNames.slice(0, n).forEach((name, j) => {
          ctx.save();
          ctx.translate(margin + (j + 0.5) * cell, margin - 4);
          ctx.rotate(-Math.PI / 3);
          ctx.fillText(name.slice(0, 11), 0, 0);
          ctx.restore();
        });
      }
      if (cell >= 26) {
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const v = matrix[i][j];
            ctx.fillStyle = Math.abs(v) > 0.6 ? '#fff' : '#1e293b';
            ctx.fillText(formatNumber(v, 2), margin + (j + 0.5) * cell, margin + (i + 0.5) * cell);
          }
        }
      }
      if (hover) {
        ctx.strokeStyle = '#0f172a';
        ctx.lineWidth = 1.5;
        ctx.strokeRect(margin + hover.j * cell, margin + hover.i * cell, cell, cell);
      }
    },
    size,
    size,
    [matrix, classNames, hover?.i, hover?.j],
  );

  if (!matrix || n === 0) return <p className="empty">Appears after the first epoch.</p>;
  const offDiagonal = n > 1 ? matrix.reduce((s, row, i) => s + row.reduce((t, v, j) => (i === j ? t : t + v), 0), 0) / (n * (n - 1)) : NaN;
  const value = hover ? matrix[hover.i][hover.j] : NaN;
  return (
    <div className="canvas-panel">
      <div className="canvas-wrap">
        <canvas
          ref={ref}
          style={{ maxWidth: size }}
          role="img"
          aria-label={`Cosine between class-mean features of ${n} classes; mean off-diagonal ${formatNumber(offDiagonal)}`}
          onMouseMove={(e) => {
            const p = pointerInCanvas(e, size, size);
            const at = gridCellAt(p, margin, cell, n);
            setHover(at && { ...at, left: p.left, top: p.top });
          }}
          onMouseLeave={() => setHover(null)}
        />
        {hover && (
          <HoverCard left={hover.left} top={hover.top}>
            <span className="swatch" style={{ background: toCss(divergingColor(value)) }} /> {classNames[hover.i]} · {classNames[hover.j]}:{' '}
            <strong>{formatNumber(value, 3)}</strong>
          </HoverCard>
        )}
      </div>
      <CosineLegend />
    </div>
  );
});
