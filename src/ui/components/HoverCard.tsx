// A small card that follows the pointer over a canvas (value on hover, image on hover).
import type { ReactNode } from 'react';

export function HoverCard({ left, top, children }: { left: number; top: number; children: ReactNode }) {
  return (
    <div className="hover-card" style={{ left: left + 14, top: top + 14 }} role="tooltip">
      {children}
    </div>
  );
}
