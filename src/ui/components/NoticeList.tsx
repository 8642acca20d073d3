// Notices the user should read: settings the page corrected, and what the worker reports along the way.
export interface ShownNotice {
  key: string;
  text: string;
  tone: 'info' | 'warning';
  onDismiss: () => void;
}

export function NoticeList({ notices }: { notices: ShownNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Notices" aria-live="polite">
      <ul>
        {notices.map((n) => (
          <li key={n.key} className={`notice notice-${n.tone}`}>
            <span>{n.text}</span>
            <button type="button" className="dismiss" onClick={n.onDismiss} aria-label={`Dismiss: ${n.text}`}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
