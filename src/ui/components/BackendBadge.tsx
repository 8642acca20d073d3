// Which backend trains the models, on what device, and why: asked for, fastest measured, or a fallback.
import type { BackendInfo } from '../trainerView';

const NAMES = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM' } as const;

export function BackendBadge({ backend }: { backend?: BackendInfo }) {
  if (!backend) {
    return (
      <div className="backend-badge pending" aria-label="Backend in use">
        Backend: choosing…
      </div>
    );
  }
  const device = backend.adapterInfo?.label ?? backend.adapter;
  const fallback = /fallback|failed/i.test(backend.reason);
  return (
    <div className={`backend-badge${fallback ? ' fallback' : ''}${backend.software ? ' software' : ''}`} aria-label="Backend in use">
      <span className="backend-name">{NAMES[backend.backend]}</span>
      {device && <span className="backend-device"> on {device}</span>}
      {backend.software && <span className="backend-tag">software renderer: slow</span>}
      <span className="backend-reason">{backend.reason}</span>
      {backend.measurements && backend.measurements.length > 0 && (
        <span className="backend-measured">
          measured:{' '}
          {backend.measurements.map((m) => `${NAMES[m.backend]} ${Math.round(m.msPerStep)} ms/step`).join(', ')}
        </span>
      )}
    </div>
  );
}
