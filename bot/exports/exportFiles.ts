import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from '../clock';

/**
 * Where an export's CSV lives between the consent card and the user's answer: a file of its own in the pending
 * folder (never in bot state, never in memory), readable by the bot's user only, named `<created ms>-<uuid>.csv` so
 * that files past their time can be found by the bot's clock. Removed after the upload, on decline, and by
 * {@link ExportFiles.sweep} once expired (an answer that never came).
 */
export interface ExportFilesOptions {
  pendingDir: string;
  /** How long a file waits for its owner's answer. */
  ttlSeconds: number;
  clock: Clock;
}

/** An open CSV being written: `write` waits when the disk is slower than Graph, so memory stays flat. */
export interface CsvFile {
  readonly path: string;
  write(text: string): Promise<void>;
  /** Flushes and closes; resolves with the file's size in bytes. */
  close(): Promise<number>;
  /** Closes (if open) and deletes the file. */
  discard(): Promise<void>;
}

const NAME = /^(\d{10,16})-[0-9a-f-]{36}\.csv$/;

export class ExportFiles {
  constructor(private readonly options: ExportFilesOptions) {}

  /** A new, empty CSV file in the pending folder (created 0600: the bot's OS user only). */
  async create(): Promise<CsvFile> {
    await mkdir(this.options.pendingDir, { recursive: true, mode: 0o700 });
    const path = join(this.options.pendingDir, `${this.options.clock.now()}-${randomUUID()}.csv`);
    const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return csvFile(path, stream);
  }

  /** True for a path this folder could have made (a stored path is checked before it is read or removed). */
  owns(path: string): boolean {
    return dirname(resolve(path)) === resolve(this.options.pendingDir) && NAME.test(basename(path));
  }

  /** Removes a pending file (missing is fine: a sweep or another answer may have removed it already). */
  async remove(path: string): Promise<void> {
    if (this.owns(path)) await rm(path, { force: true });
  }

  /** Moves a finished file to `dir/name` (local mode), readable by the bot's user only; returns the new path. */
  async keep(path: string, dir: string, name: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    const target = join(dir, name);
    await rename(path, target);
    await chmod(target, 0o600);
    return target;
  }

  /** Removes every pending file older than the time to live (answers that never came, files of a crash). */
  async sweep(): Promise<number> {
    const names = await readdir(this.options.pendingDir).catch(() => [] as string[]);
    const oldest = this.options.clock.now() - this.options.ttlSeconds * 1000;
    let removed = 0;
    for (const name of names) {
      const created = Number(NAME.exec(name)?.[1] ?? NaN);
      if (Number.isFinite(created) && created < oldest) {
        await rm(join(this.options.pendingDir, name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** The size of a pending file, or undefined when it is gone. */
  async sizeOf(path: string): Promise<number | undefined> {
    if (!this.owns(path)) return undefined;
    return stat(path).then((info) => info.size, () => undefined);
  }
}

function csvFile(path: string, stream: WriteStream): CsvFile {
  let failure: Error | undefined;
  stream.on('error', (error) => { failure = error; });
  const ended = (): Promise<void> => new Promise((resolve) => {
    if (stream.closed) resolve();
    else stream.end(() => resolve());
  });
  return {
    path,
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text, 'utf8')) await new Promise<void>((resolve, reject) => stream.once('drain', resolve).once('error', reject));
    },
    async close() {
      await ended();
      if (failure) throw failure;
      return stream.bytesWritten;
    },
    async discard() {
      await ended();
      await rm(path, { force: true });
    },
  };
}
