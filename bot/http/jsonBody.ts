import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The largest activity body read (Teams' own messages stay far below; a card submit is a few KB). */
export const MAX_ACTIVITY_BYTES = 512 * 1024;
/**
 * After a refusal, how much more of the body is read and thrown away before the connection is cut. Closing a
 * socket with unread data makes the kernel send a reset, and the client may then lose the answer; reading a
 * bounded remainder lets an ordinary client see its 413/415, while an endless upload is still cut short.
 */
const DISCARD_BUDGET_BYTES = 1024 * 1024;

export type JsonBody =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400 | 413 | 415; reason: string };

const refuse = (status: 400 | 413 | 415, reason: string): JsonBody => ({ ok: false, status, reason });
const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/**
 * Why the body is not plain JSON, judged from the headers alone: anything but `application/json` (with at most
 * `charset=utf-8`), or any Content-Encoding but `identity`. Compressed bodies are refused, not inflated: a few
 * hundred KB of gzip can inflate to gigabytes before any authentication has run.
 */
export function unsupportedMediaType(headers: IncomingHttpHeaders): string | undefined {
  const contentType = headers['content-type'];
  if (contentType === undefined) return 'no content-type';
  const [mediaType = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return `content-type ${mediaType.slice(0, 80)}`;
  for (const parameter of parameters.filter((part) => part !== '')) {
    if (!/^charset\s*=\s*"?utf-8"?$/.test(parameter)) return `content-type parameter ${parameter.slice(0, 80)}`;
  }
  const encoding = headerText(headers['content-encoding'])?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return `content-encoding ${encoding.slice(0, 80)}`;
  return undefined;
}

/** Parses `bytes` as a UTF-8 JSON object (not an array, not null). */
export function parseJsonObject(bytes: Buffer): JsonBody {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return refuse(400, error instanceof Error ? `body is not UTF-8 JSON: ${error.message.slice(0, 120)}` : 'body is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(400, 'body is not a JSON object');
  return { ok: true, body: value as Record<string, unknown> };
}

/**
 * Reads a JSON object body from the raw request stream, refusing by the headers first (415), then by size
 * (413: a declared Content-Length over the cap is refused before reading; a body that grows past it is no longer
 * buffered), then by content (400). Nothing but JSON is ever parsed, and nothing is written to disk.
 */
export function readJsonBody(req: IncomingMessage, maxBytes = MAX_ACTIVITY_BYTES): Promise<JsonBody> {
  const unsupported = unsupportedMediaType(req.headers);
  if (unsupported !== undefined) return Promise.resolve(refuse(415, unsupported));
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve(refuse(413, `content-length ${declared} over ${maxBytes}`));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: JsonBody): void => {
      req.off('data', onData).off('end', onEnd).off('error', onEnded).off('close', onEnded);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) settle(refuse(413, `body over ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle(parseJsonObject(Buffer.concat(chunks, size)));
    // The client went away mid-body: nobody is left to answer, but the handler must not wait forever.
    const onEnded = (): void => settle(refuse(400, 'request ended before its body'));
    req.on('data', onData).once('end', onEnd).once('error', onEnded).once('close', onEnded);
  });
}

/**
 * After refusing a request whose body was not read to the end: throws away what the client is still sending, up
 * to a budget (see {@link DISCARD_BUDGET_BYTES}), then cuts the connection. Never buffers, never parses.
 */
export function discardRest(req: IncomingMessage, budget = DISCARD_BUDGET_BYTES): void {
  if (req.readableEnded) return;
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > budget) req.destroy();
  });
  req.resume();
}
