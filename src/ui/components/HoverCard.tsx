// A small card that follows the pointer over a canvas (value on hover, image on hover).
import type { ReactNode } from 'react';

/** `before`: the card sits left of the pointer (near a right edge, where it would be cut off). */
export function HoverCard({ left, top, before = false, children }: { left: number; top: number; before?: boolean; children: ReactNode }) {
  const style = before ? { left: left - 14, top: top + 14, transform: 'translateX(-100%)' } : { left: left + 14, top: top + 14 };
  return (
    <div className="hover-card" style={style} role="tooltip">
      {children}
    </div>
  );
}
