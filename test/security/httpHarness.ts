/**
 * Helpers for the HTTP-boundary attack tests: a production-mode bot, raw requests (any header, any body,
 * a forged Host), a recording server that stands in for "somewhere else", and a look at the bot's files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { startProductionBot as startProductionModeBot, type BotProcess } from '../support/botProcess';
import type { LocalTenant } from '../support/localTenant';

/**
 * The bot with an app id (Bot Framework authentication on, production configuration rules), channel tokens
 * checked against the local IdP: the one place these tests start it, so a change to how the production-mode test
 * bot is started is made here. `tmpDir` becomes the process's os.tmpdir(), so uploads left behind can be seen.
 */
export function startProductionBot(tenant: LocalTenant, options: { tmpDir?: string } = {}): Promise<BotProcess> {
  return startProductionModeBot(tenant, { env: options.tmpDir ? { TMPDIR: options.tmpDir } : {} });
}

export interface RawResponse { status: number; headers: IncomingHttpHeaders; body: string }

/**
 * One request over node:http, so any header can be sent (fetch forbids setting Host). The server may answer
 * before it has read the body and then close: a write error after the answer arrived is not a failure.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let answered: RawResponse | undefined;
    const req = request({
      host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET',
      headers: options.headers, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      answered = { status: res.statusCode ?? 0, headers: res.headers, body: '' };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ ...(answered as RawResponse), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ ...(answered as RawResponse), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error) => {
      if (answered) resolve(answered);
      else reject(error);
    });
    req.end(options.body);
  });
}

/** A server on 127.0.0.1 that records every request and answers 200 `{}`: "another URL" a forged serviceUrl points at. */
export interface Recorder { url: string; hits: Array<{ method: string; path: string }>; stop(): Promise<void> }

export async function startRecorder(): Promise<Recorder> {
  const hits: Recorder['hits'] = [];
  const server: Server = createServer((req, res) => {
    hits.push({ method: req.method ?? '', path: req.url ?? '' });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Every stored item (key and raw JSON value) in the bot's SQLite file. */
export function storedItems(bot: BotProcess): Array<{ key: string; value: string }> {
  const db = new Database(join(bot.dataDir, 'bot', 'state.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT key, value FROM items').all() as Array<{ key: string; value: string }>;
  } finally {
    db.close();
  }
}

/** The top-level entries of a directory (formidable writes its uploads straight into os.tmpdir()). */
export const entriesOf = (dir: string): string[] => readdirSync(dir).sort();

/** The peak resident memory of a process in MB (Linux /proc), or undefined where there is no /proc. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** GET /healthz answers 200: the process is alive and serving. */
export async function healthStatus(bot: BotProcess): Promise<number> {
  return (await rawRequest(`${bot.url}/healthz`)).status;
}

/** A multipart upload with the activity as a field and a 64 KB file (formidable stores files in os.tmpdir()). */
export const MULTIPART_BOUNDARY = 'x-attack-boundary';
export const multipartBody = (activity: object): string => [
  `--${MULTIPART_BOUNDARY}`, 'content-disposition: form-data; name="activity"', '', JSON.stringify(activity),
  `--${MULTIPART_BOUNDARY}`, 'content-disposition: form-data; name="upload"; filename="big.bin"', 'content-type: application/octet-stream', '',
  'x'.repeat(64 * 1024), `--${MULTIPART_BOUNDARY}--`, ''].join('\r\n');
/** What a cross-site HTML form would post (bracketed keys, as qs-style parsers nest them). */
export const formBody = 'type=message&text=help&from[id]=29:adele&serviceUrl=http://127.0.0.1:9/&conversation[id]=a:x';

/** A gzip body of a few hundred KB that inflates to `mb` MB of JSON string (what the attack run sent). */
export async function gzipBomb(mb: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  const megabyte = Buffer.alloc(1024 * 1024, 'a');
  gzip.write('{"type":"message","text":"');
  for (let i = 0; i < mb; i += 1) gzip.write(megabyte);
  gzip.end('"}');
  await done;
  return Buffer.concat(chunks);
}

/**
 * Sends a chunked body of up to `limit` bytes as fast as the server takes it: 'cut' if the server closed the
 * connection first, 'all sent' if it read everything; `sent` is how much was written.
 */
export function endlessUpload(url: string, limit: number): Promise<{ outcome: 'cut' | 'all sent'; sent: number }> {
  const target = new URL(url);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  return new Promise((resolve) => {
    const req = request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    // Cut: the server refused (an error answer while the body was still coming: it stopped reading) or hung up.
    // Waiting only for the hang-up could wait forever when the refusal arrives first and the socket stays half open.
    req.on('response', (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 400 && sent < limit) {
        resolve({ outcome: 'cut', sent });
        req.destroy();
      }
    });
    req.on('error', () => resolve({ outcome: 'cut', sent }));
    const pump = (): void => {
      while (sent < limit) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end(() => resolve({ outcome: 'all sent', sent }));
    };
    pump();
  });
}

/** Something that listens like node:http's and restify's servers. */
interface Listener { listen(port: number, host: string, done: () => void): unknown; close(done: () => void): unknown; address(): unknown }

/** Starts `server` on a free loopback port; resolves with its base URL (`http://127.0.0.1:<port>`). */
export async function listening(server: Listener): Promise<string> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops `server` (resolves once it has closed). */
export function closed(server: Listener): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
}
