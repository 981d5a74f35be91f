/** Hand a downloaded file to the browser as a download. */
import type { IDownload } from '../../api/client';

export function saveDownload(download: IDownload): void {
  const url = URL.createObjectURL(download.blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = download.filename;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser time to start the download before freeing the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
