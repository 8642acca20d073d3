// Recognising the failures that need their own message rather than a backend fallback: running out of memory
// on a configuration too large for the device. Pure, so it is tested in Node.
import type { LabSettings } from './protocol';

/** Error texts of the backends when an allocation fails (WebGPU buffers, WebGL textures, wasm memory growth). */
const OUT_OF_MEMORY = /out of memory|\bOOM\b|allocation failed|cannot enlarge memory|maximum memory size|failed to allocate|greater than (the )?webgl maximum|exceeds the max(imum)? buffer size/i;

/** Whether `err` says an allocation failed. */
export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  return OUT_OF_MEMORY.test(text);
}

/** One line for the page when a configuration ran out of memory: what was too large and what to lower. */
export function describeOutOfMemory(settings: LabSettings, backend: string, err: unknown): string {
  const what = err instanceof Error ? err.message : String(err);
  return (
    `out of memory on ${backend}: ${settings.model} width ${settings.width}, batch ${settings.batchSize}` +
    `${settings.mode === 'compare' ? ', two runs side by side' : ''} needs more memory than this device gives the page (${what.slice(0, 160)}). ` +
    'Lower the batch size or the width, or pick a smaller model, then Reset (reload the page if training does not start again).'
  );
}
