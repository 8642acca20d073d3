// The page's run file extension is the core's, and dropped files are sorted into run files and data by name.
import { describe, expect, it } from 'vitest';
import { RUN_FILE_EXTENSION } from '../src/core/io/runFile';
import { RUN_FILE_ACCEPT, sortDroppedFiles } from '../src/ui/lib/fileKinds';

describe('sortDroppedFiles', () => {
  it('uses the core run file extension', () => {
    expect(RUN_FILE_ACCEPT).toBe(RUN_FILE_EXTENSION);
  });

  it('puts .oplrun files (any case) apart from data files', () => {
    const named = (name: string) => new File([new Uint8Array(1)], name);
    const { runFiles, dataFiles } = sortDroppedFiles(['a.oplrun', 'B.OPLRUN', 'test_batch.bin', 'cifar-10-binary.tar.gz', 'x.oplrun.gz'].map(named));
    expect(runFiles.map((f) => f.name)).toEqual(['a.oplrun', 'B.OPLRUN']);
    expect(dataFiles.map((f) => f.name)).toEqual(['test_batch.bin', 'cifar-10-binary.tar.gz', 'x.oplrun.gz']);
  });
});
