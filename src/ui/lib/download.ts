// Saves bytes the page made (exports, run files) as a download, the way a link with `download` does.

/** Offer `data` as a file named `name`; the object URL is revoked once the click has been handled. */
export function downloadFile(data: Blob | Uint8Array | string, name: string, type = 'application/octet-stream'): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file-name-safe slug: 'CE + OPL' → 'ce-opl'. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'panel';
}
