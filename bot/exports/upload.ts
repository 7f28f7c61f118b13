import { open } from 'node:fs/promises';
import { AppError } from '../errors';

/**
 * Uploads a file to the upload session Teams gives on a file consent's accept (`uploadInfo.uploadUrl`, a OneDrive
 * upload session): sequential PUTs of byte ranges with `Content-Range: bytes <first>-<last>/<size>`, each range a
 * multiple of 320 KiB but the last (OneDrive's rule) and far under its 60 MiB cap. No Authorization header: the
 * URL is pre-authorised and OneDrive may answer 401 to one. 202 means "more", 200/201 "done"; 5xx is retried.
 */

/** 320 KiB: every range but the last is a multiple of it. */
export const RANGE_UNIT = 327_680;
/** 13 × 320 KiB ≈ 4 MiB per request. */
export const DEFAULT_RANGE_BYTES = 13 * RANGE_UNIT;

export interface UploadOptions {
  fetch?: typeof fetch;
  rangeBytes?: number;
  /** Attempts per range on 5xx or a network error. */
  attempts?: number;
  /** Waits before a retry (injected so tests never sleep). */
  wait?: (attempt: number) => Promise<void>;
}

const failed = (detail: string): AppError =>
  new AppError('UploadFailed', 'I could not upload the file to your OneDrive. Nothing was kept; type the export again to retry.', { cause: new Error(detail) });

export async function uploadFile(path: string, uploadUrl: string, options: UploadOptions = {}): Promise<void> {
  const send = options.fetch ?? fetch;
  const rangeBytes = options.rangeBytes ?? DEFAULT_RANGE_BYTES;
  if (rangeBytes % RANGE_UNIT !== 0) throw new Error('rangeBytes must be a multiple of 320 KiB');
  const attempts = options.attempts ?? 3;
  const wait = options.wait ?? ((attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, 500 * 2 ** attempt)));
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const buffer = Buffer.alloc(Math.min(rangeBytes, Math.max(size, 1)));
    for (let first = 0; first < size; first += rangeBytes) {
      const length = Math.min(rangeBytes, size - first);
      const { bytesRead } = await file.read(buffer, 0, length, first);
      if (bytesRead !== length) throw failed(`short read at ${first}`);
      const last = first + length - 1;
      const done = last === size - 1;
      for (let attempt = 0; ; attempt += 1) {
        let status: number;
        try {
          const response = await send(uploadUrl, {
            method: 'PUT', body: buffer.subarray(0, length),
            headers: { 'Content-Length': String(length), 'Content-Range': `bytes ${first}-${last}/${size}`, 'Content-Type': 'application/octet-stream' },
          });
          status = response.status;
          await response.arrayBuffer();
        } catch (error) {
          if (attempt + 1 < attempts) {
            await wait(attempt);
            continue;
          }
          throw failed(`network error at bytes ${first}-${last}: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (status >= 500 && attempt + 1 < attempts) {
          await wait(attempt);
          continue;
        }
        if (done ? status === 200 || status === 201 : status === 202) break;
        throw failed(`upload of bytes ${first}-${last}/${size} answered ${status}`);
      }
    }
  } finally {
    await file.close();
  }
}
