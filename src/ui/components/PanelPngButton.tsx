// The "PNG" button of a panel: saves the panel as drawn (canvases and charts) as a PNG download; says so in
// place when the panel has nothing drawn yet.
import { useState } from 'react';
import { downloadFile, slugify } from '../lib/download';
import { renderPanelPng } from '../lib/panelPng';

export function PanelPngButton({ title }: { title: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="panel-export"
        aria-label={`Save ${title} as PNG`}
        onClick={async (e) => {
          const panel = e.currentTarget.closest('section');
          if (!panel) return;
          try {
            downloadFile(await renderPanelPng(panel, title), `${slugify(title)}.png`);
            setProblem(null);
          } catch (err) {
            setProblem(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        PNG
      </button>
      {problem && <span className="panel-export-problem" role="status">{problem}</span>}
    </>
  );
}
