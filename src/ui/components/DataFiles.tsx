// The user's own CIFAR files: a file picker (drag-and-drop works on the whole page) and the state of the last
// drop: progress while the worker reads, what it holds once read, one line when it was refused.
import type { DroppedDataInfo, FilesStatus } from '../trainerView';

interface Props {
  status?: FilesStatus;
  /** The own data set of the format in use, if one was read. */
  inUse?: DroppedDataInfo;
  onFiles: (files: File[]) => void;
}

/** What the picker accepts: the official binary files, a prepared pair, or an archive of them. */
export const DATA_FILE_ACCEPT = '.bin,.tar,.gz,.tgz,.txt';

export function DataFiles({ status, inUse, onFiles }: Props) {
  return (
    <section className="data-files" aria-label="Your own data">
      <label className="file-button">
        Use your own CIFAR files…
        <input
          type="file"
          multiple
          accept={DATA_FILE_ACCEPT}
          className="visually-hidden"
          aria-label="Choose CIFAR files"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = ''; // the same files may be chosen again
            if (files.length > 0) onFiles(files);
          }}
        />
      </label>
      <p className="field-help">Official CIFAR-10/100 binaries (data_batch_*.bin + test_batch.bin, or train.bin + test.bin) or their .tar.gz; or drop them on the page.</p>
      {status?.status === 'reading' && (
        <p className="files-status" role="status">
          Reading your files: {status.detail} <progress max={1} value={status.fraction} aria-label="Reading your files" />
        </p>
      )}
      {status?.status === 'failed' && (
        <p className="files-status files-failed" role="alert">
          {status.message}. The data in use is unchanged.
        </p>
      )}
      {inUse && (
        <p className="files-status files-loaded">
          Using your files ({inUse.source}): {inUse.count.train.toLocaleString('en')} training / {inUse.count.test.toLocaleString('en')} test images, {inUse.classNames.length} classes.
        </p>
      )}
    </section>
  );
}
