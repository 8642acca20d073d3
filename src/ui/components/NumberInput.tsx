// A numeric field that lets people type freely: a complete in-range number applies at once, anything else
// applies (and is corrected by the settings table, with a notice) on Enter or when the field loses focus.
import { useEffect, useState } from 'react';
import type { NumberSpec } from '../settings';

interface Props {
  id: string;
  spec: NumberSpec;
  value: number;
  max: number;
  onCommit: (raw: string) => void;
  ariaLabel?: string;
  describedBy?: string;
}

const COMPLETE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function NumberInput({ id, spec, value, max, onCommit, ariaLabel, describedBy }: Props) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const commit = (text: string) => {
    if (text !== String(value)) onCommit(text);
  };
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      min={spec.min}
      max={max}
      step={spec.step}
      value={draft}
      aria-label={ariaLabel}
      aria-describedby={describedBy}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        const n = Number(text);
        const whole = spec.kind !== 'int' || Number.isInteger(n);
        if (COMPLETE.test(text) && n >= spec.min && n <= max && whole) commit(text);
      }}
      onBlur={() => commit(draft)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit(draft);
      }}
    />
  );
}
