import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_APP_ID, TENANT_ID } from '../dev/tenant/tenant';
import type { BotProcess } from '../test/support/botProcess';
import { USERS } from '../test/support/teamsActivities';

/** What bench/bot.ts drives the bot with: a connector sink, Teams-shaped messages, concurrent turns. */
const BOT_ID = `28:${BOT_APP_ID}`;
export const CONVERSATIONS = 50;
export const CONCURRENCY = 16;
export const ADELE = USERS.adele;

/** A Bot Connector that accepts everything at once: 200 {"id": n} for every call, counted (and those with a bearer token). */
export interface Sink { url: string; calls: () => number; bearerCalls: () => number; reset: () => void; close: () => Promise<void> }

export async function startSink(): Promise<Sink> {
  let calls = 0;
  let bearerCalls = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls += 1;
      if (/^Bearer \S+$/.test(request.headers.authorization ?? '')) bearerCalls += 1;
      const body = request.method === 'POST' || request.method === 'PUT' ? JSON.stringify({ id: String(calls) }) : '{}';
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`, calls: () => calls, bearerCalls: () => bearerCalls, reset: () => { calls = 0; bearerCalls = 0; },
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

let activitySeq = 0;
/** A personal-chat Teams message from Adele in conversation `a:bench-<n>`. */
export function message(sink: Sink, conversation: number, text: string): string {
  activitySeq += 1;
  return JSON.stringify({
    type: 'message', id: `bench-${activitySeq}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: sink.url,
    from: { id: ADELE.id, aadObjectId: ADELE.aadObjectId, name: ADELE.name }, recipient: { id: BOT_ID },
    conversation: { id: `a:bench-${conversation}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } }, locale: 'en-US', text,
  });
}

/** A bot under test: where it listens and the headers Teams would send it (a channel token when authentication is on). */
export interface Target { bot: BotProcess; headers: Record<string, string> }
export const unauthenticated = (bot: BotProcess): Target => ({ bot, headers: { 'content-type': 'application/json' } });

export async function post({ bot, headers }: Target, body: string): Promise<number> {
  const response = await fetch(bot.messagesUrl, { method: 'POST', headers, body });
  await response.arrayBuffer();
  if (response.status < 200 || response.status > 299) throw new Error(`POST /api/messages: ${response.status}`);
  return response.status;
}

/** `count` help turns spread over the conversations, `CONCURRENCY` at a time. */
export async function helpTurns(target: Target, sink: Sink, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      await post(target, message(sink, n % CONVERSATIONS, 'help'));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
