// The trained snapshots the site ships (public/snapshots/): an index.json naming each .oplrun file with a title
// and the command that made it, so the page can show a trained end state before anyone trains.

/** One shipped snapshot. */
export interface SnapshotEntry {
  /** File name inside snapshots/, e.g. 'cifar10-ce-vs-opl.oplrun'. */
  file: string;
  /** One line for the button, e.g. 'CIFAR-10, 5 classes: CE vs CE + OPL (γ 2)'. */
  title: string;
  /** The CLI command (with its seed) that produced the file. */
  command: string;
}

const folder = () => `${import.meta.env.BASE_URL}snapshots/`;

/** The shipped snapshots; empty when the site has none (a missing or unreadable index). */
export async function loadSnapshotIndex(): Promise<SnapshotEntry[]> {
  try {
    const res = await fetch(`${folder()}index.json`);
    if (!res.ok) return [];
    const index = (await res.json()) as { snapshots?: unknown };
    if (!Array.isArray(index.snapshots)) return [];
    return index.snapshots.filter(
      (e): e is SnapshotEntry =>
        typeof e === 'object' && e !== null && ['file', 'title', 'command'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string') && !/[/\\]/.test((e as SnapshotEntry).file),
    );
  } catch {
    return [];
  }
}

/** Fetch a snapshot's bytes. @throws Error with one line when the server does not have it. */
export async function fetchSnapshot(entry: SnapshotEntry): Promise<Blob> {
  const res = await fetch(`${folder()}${entry.file}`);
  if (!res.ok) throw new Error(`snapshot ${entry.file} is missing (HTTP ${res.status})`);
  return res.blob();
}
