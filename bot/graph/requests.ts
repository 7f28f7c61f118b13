import { BatchRequestContent, PageIterator, type Client, type PageCollection } from '@microsoft/microsoft-graph-client';

/** Graph's limit of requests in one `$batch`. */
export const MAX_BATCH = 20;

/** An absolute Graph URL (an `@odata.nextLink`) as the path after the API version, query kept. */
export function relativeGraphPath(url: string): string {
  if (!/^https?:\/\//i.test(url)) return url;
  const parsed = new URL(url);
  return `${parsed.pathname.replace(/^\/(?:v1\.0|beta)(?=\/)/, '')}${parsed.search}`;
}

/**
 * Every item of a collection, following `@odata.nextLink` with the library's PageIterator (stops at `max`).
 * GraphRequest only recognises https absolute URLs, so an http nextLink (the local emulator) would be glued
 * onto the base URL: the iterator gets a client whose `api()` makes links relative first.
 */
export async function collectPages<T>(client: Client, firstPage: PageCollection, max = 10_000): Promise<T[]> {
  const items: T[] = [];
  const linkSafe = { api: (path: string) => client.api(relativeGraphPath(path)) } as unknown as Client;
  const iterator = new PageIterator(linkSafe, firstPage, (item: T) => {
    items.push(item);
    return items.length < max;
  });
  await iterator.iterate();
  return items;
}

export interface BatchAnswer {
  status: number;
  body: unknown;
}

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Seconds from an inner response's Retry-After (header names are case-insensitive), at least 1. */
function retryAfter(headers: Record<string, string> | undefined): number {
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  return Math.max(1, Number(value) || 1);
}

const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * GETs `paths` (relative to the API version, e.g. `/groups/{id}/owners`) in `$batch` requests of at most 20,
 * with the library's BatchRequestContent. Graph throttles each inner request on its own:
 * inner 429s are sent again (after their Retry-After) up to `retries` times. Answers come back in `paths` order.
 */
export async function batchGet(client: Client, graphHost: string, paths: readonly string[], retries = 3): Promise<BatchAnswer[]> {
  const answers: BatchAnswer[] = paths.map(() => ({ status: 0, body: undefined }));
  let pending = paths.map((_path, index) => index);
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    let waitSeconds = 0;
    const throttled: number[] = [];
    for (let start = 0; start < pending.length; start += MAX_BATCH) {
      const chunk = pending.slice(start, start + MAX_BATCH);
      // BatchRequestContent 3.0.7 keeps only the path of each URL: give it host + path without the version (its own doc workaround).
      const content = new BatchRequestContent(chunk.map((index) => ({ id: String(index), request: new Request(`${graphHost}${paths[index] ?? ''}`, { method: 'GET' }) })));
      // Read the JSON answers as they come: BatchResponseContent's Response objects turn JSON bodies into "[object Object]".
      const response = (await client.api('/$batch').post(await content.getContent())) as { responses?: InnerResponse[] };
      const byId = new Map((response.responses ?? []).map((inner) => [inner.id, inner]));
      for (const index of chunk) {
        const inner = byId.get(String(index));
        const status = inner?.status ?? 0;
        if (status === 429 && attempt < retries) {
          throttled.push(index);
          waitSeconds = Math.max(waitSeconds, retryAfter(inner?.headers));
          continue;
        }
        answers[index] = { status, body: inner?.body };
      }
    }
    pending = throttled;
    if (pending.length > 0) await sleep(Math.min(waitSeconds, 30));
  }
  return answers;
}
