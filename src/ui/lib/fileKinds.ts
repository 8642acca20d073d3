// Which dropped or picked files are run files and which are data: run files end in .oplrun, the rest is data.
// The extension is core's RUN_FILE_EXTENSION, spelt here so the page bundle does not pull in the core's tfjs
// (tests/fileKinds.test.ts keeps the two equal).

/** The run file extension, and the run file picker's accept attribute. */
export const RUN_FILE_ACCEPT = '.oplrun';

/** Split files into run files and data files by name. */
export function sortDroppedFiles(files: File[]): { runFiles: File[]; dataFiles: File[] } {
  const isRun = (f: File) => f.name.toLowerCase().endsWith(RUN_FILE_ACCEPT);
  return { runFiles: files.filter(isRun), dataFiles: files.filter((f) => !isRun(f)) };
}
