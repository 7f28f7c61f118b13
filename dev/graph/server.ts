import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseDuration, addDuration } from '../shared/duration';
import type { Tenant } from '../tenant/tenant';
import { TokenVerifier } from './auth';
import { dispatch, dispatchBatch, errorResult } from './dispatch';
import { badRequest } from './errors';
import { EmulatorCore } from './emulator';
import { FaultConfigSchema } from './faults';
import type { RouteResult } from './router';
import { seedSynthetic, SyntheticSeedSchema } from './syntheticSeed';

export interface GraphEmulatorOptions {
  host: string;
  port: number;
  dbFile: string;
  tenant: Tenant;
  /** The identity provider whose tokens are accepted: its JWKS URL and issuer. */
  jwksUrl: string;
  issuer: string;
  log: Logger;
}

export interface RunningGraphEmulator {
  url: string;
  core: EmulatorCore;
  close(): Promise<void>;
}

const ClockBody = z.union([z.object({ advance: z.string() }).strict(), z.object({ now: z.string() }).strict()]);
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  return JSON.parse(text) as unknown;
}

function send(response: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string> = { ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
  headers['content-type'] ??= JSON_TYPE;
  response.writeHead(result.status, headers);
  response.end(text);
}

const badJson = (message: string): RouteResult => ({ status: 400, body: { error: { code: 'BadRequest', message } } });

/** `/_emulator/*`: stats, clock, faults, reset and synthetic seed (local only, no token). */
function control(core: EmulatorCore, method: string, path: string, body: unknown): RouteResult {
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /_emulator/health': return { status: 200, body: { status: 'ready' } };
    case 'GET /_emulator/stats': return { status: 200, body: { requests: core.stats.requests, byRoute: core.stats.byRoute, batches: core.stats.batches, inBatches: core.stats.inBatches,
      byCaller: core.stats.byCaller, appByRoute: core.stats.appByRoute } };
    // Apart from /stats, whose shape clients and tests compare whole.
    case 'GET /_emulator/stats/faults': return { status: 200, body: { faults: core.stats.faults } };
    case 'POST /_emulator/stats/reset': core.stats.reset(); return { status: 204 };
    case 'GET /_emulator/clock': return { status: 200, body: { now: core.clock.now().toISOString() } };
    case 'POST /_emulator/clock': {
      const parsed = ClockBody.safeParse(body);
      if (!parsed.success) return badJson('Expected {"advance": "<ISO 8601 duration>"} or {"now": "<ISO time>"}.');
      const current = core.clock.now();
      let target: Date;
      if ('advance' in parsed.data) {
        const duration = parseDuration(parsed.data.advance);
        if (!duration) return badJson(`'${parsed.data.advance}' is not an ISO 8601 duration such as P3D.`);
        target = addDuration(current, duration);
      } else {
        target = new Date(parsed.data.now);
        if (Number.isNaN(target.getTime())) return badJson(`'${parsed.data.now}' is not an ISO time.`);
        if (target < current) return badJson('The emulator clock only moves forward.');
      }
      core.clock.moveTo(target);
      return { status: 200, body: { now: core.tick().toISOString() } };
    }
    case 'GET /_emulator/faults': return { status: 200, body: core.faults.current ?? {} };
    case 'PUT /_emulator/faults': {
      const input = (body ?? {}) as Record<string, unknown>;
      if (Object.keys(input).length === 0) {
        core.faults.configure(undefined);
        return { status: 200, body: {} };
      }
      const parsed = FaultConfigSchema.safeParse(input);
      if (!parsed.success) return badJson(`Invalid faults: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      core.faults.configure(parsed.data);
      return { status: 200, body: parsed.data };
    }
    case 'POST /_emulator/reset': core.reset(); return { status: 200, body: { now: core.clock.now().toISOString() } };
    case 'POST /_emulator/seed': {
      const parsed = SyntheticSeedSchema.safeParse(body ?? {});
      if (!parsed.success) return badJson(`Invalid seed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const started = performance.now();
      const result = seedSynthetic(core, parsed.data);
      return { status: 200, body: { ...result, elapsedMs: Math.round(performance.now() - started) } };
    }
    default: return { status: 404, body: { error: { code: 'NotFound', message: `No emulator control route ${route}.` } } };
  }
}

/** Starts the Graph emulator's HTTP server (`/v1.0/...` and `/_emulator/...`). */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<RunningGraphEmulator> {
  const core = new EmulatorCore({ dbFile: options.dbFile, tenant: options.tenant });
  core.ensureSeeded();
  const verifier = new TokenVerifier(options.jwksUrl, options.issuer);
  const log = options.log;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', core.baseUrl);
    const method = request.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    let body: unknown;
    try {
      body = await readBody(request);
    } catch {
      const message = 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
      send(response, url.pathname.startsWith('/_emulator/') ? badJson(message) : errorResult(core, badRequest(message), headers['client-request-id']));
      return;
    }
    if (url.pathname.startsWith('/_emulator/')) {
      send(response, control(core, method, url.pathname.replace(/\/$/, ''), body));
      return;
    }
    if (!/^\/v1\.0(\/|$)/i.test(url.pathname)) {
      send(response, { status: 404, body: { error: { code: 'NotFound', message: 'Only /v1.0 is emulated.' } } });
      return;
    }
    if (core.faults.latencyMs > 0) await sleep(core.faults.latencyMs);
    const incoming = { method, url, headers, body };
    const isBatch = method === 'POST' && /^\/v1\.0\/\$batch\/?$/i.test(decodeURIComponent(url.pathname));
    send(response, isBatch ? await dispatchBatch(core, verifier, log, incoming) : await dispatch(core, verifier, log, incoming));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error({ err: error }, 'graph emulator: request failed');
      if (!response.headersSent) send(response, { status: 500, body: { error: { code: 'generalException', message: 'Internal error.' } } });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  core.baseUrl = `http://${options.host}:${port}`;
  return {
    url: core.baseUrl,
    core,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      core.close();
    },
  };
}
