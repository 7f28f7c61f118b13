import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenVerifier } from './auth';
import type { EmulatorCore } from './emulator';
import { badRequest, errorEnvelope, GraphError } from './errors';
import { match, type Route, type RouteResult } from './router';
import { definitionRoutes } from './routes/definitions';
import { directoryRoutes } from './routes/directory';
import { instanceRoutes } from './routes/instances';

export const ROUTES: Route[] = [...directoryRoutes, ...definitionRoutes, ...instanceRoutes];

/** Parts of Graph's access-review API the emulator does not emulate: answered 400 NotSupported, naming the segment. */
const NOT_EMULATED: Array<[RegExp, string]> = [
  [/^\/identityGovernance\/accessReviews\/historyDefinitions(?:\/|\(|$)/i, 'access review history definitions'],
  [/^\/identityGovernance\/accessReviews\/definitions\/[^/]+\/instances\/[^/]+\/stages(?:\/|\(|$)/i, 'multi-stage reviews'],
];

/** The segment of `path` that no route knows (what Graph names in "Resource not found for the segment '…'"). */
export function unknownSegment(path: string): string {
  const segments = path.split('/').filter(Boolean);
  let known = 0;
  for (const route of ROUTES) {
    const template = route.name.slice(route.name.indexOf(' ') + 1).split('/').filter(Boolean);
    let n = 0;
    while (n < segments.length && n < template.length && (/^\{\w+\}$/.test(template[n] ?? '') || template[n]?.toLowerCase() === segments[n]?.toLowerCase())) n += 1;
    known = Math.max(known, n);
  }
  return segments[known] ?? segments[segments.length - 1] ?? path;
}

/** The 400 for a path no route matches: NotSupported for what Graph has and the emulator lacks, else Graph's own. */
function unmatched(path: string): GraphError {
  const segment = unknownSegment(path);
  const missing = NOT_EMULATED.find(([pattern]) => pattern.test(path));
  if (missing) {
    return new GraphError(400, 'NotSupported', `The segment '${segment}' is not supported by the local Graph emulator (${missing[1]} are not emulated).`);
  }
  return new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_BATCH = 20;

export interface IncomingGraphRequest {
  method: string;
  /** Absolute URL of the request (for inner batch requests: as if sent on its own). */
  url: URL;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * Runs one Graph request: stats, injected faults, authentication, the lifecycle up to now, the route.
 * Every failure becomes Graph's error envelope; nothing escapes as an exception.
 */
/** A Graph error answer with fresh request ids (`request-id` header matching the envelope's innerError). */
export function errorResult(core: EmulatorCore, error: GraphError, clientRequestId: string | undefined, requestId = randomUUID()): RouteResult {
  return {
    status: error.status,
    headers: { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...error.headers },
    body: errorEnvelope(error, requestId, clientRequestId, core.clock.now()),
  };
}

export async function dispatch(core: EmulatorCore, verifier: TokenVerifier, log: Logger, request: IncomingGraphRequest): Promise<RouteResult> {
  const requestId = randomUUID();
  const clientRequestId = request.headers['client-request-id'];
  const ids = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
  const path = decodePath(request.url.pathname.replace(/^\/v1\.0/i, ''));
  const found = match(ROUTES, request.method, path);
  core.stats.count(found && 'route' in found ? found.route.name : `${request.method} (unmatched)`);
  const fault = core.faults.draw(WRITE_METHODS.has(request.method));
  const faultError = fault && new GraphError(fault.status, fault.status === 429 ? 'TooManyRequests' : 'serviceNotAvailable',
    fault.status === 429 ? 'Too many requests (injected by the local Graph emulator).' : 'The service is unavailable (injected by the local Graph emulator).',
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
  const fail = (error: GraphError): RouteResult => {
    if (error === faultError) core.stats.faults += 1;
    return errorResult(core, error, clientRequestId, requestId);
  };
  if (faultError && fault && !fault.afterExecution) return fail(faultError);
  try {
    if (!found) throw unmatched(path);
    if (!('route' in found)) throw new GraphError(405, 'Request_BadRequest', `The method ${request.method} is not allowed on this resource; allowed: ${found.allowed.join(', ')}.`);
    const caller = await verifier.caller(request.headers.authorization, core.directory, Date.now());
    core.stats.countCaller(caller.kind, found.route.name);
    const now = core.tick();
    const result = found.route.handler({
      method: request.method, url: request.url, params: found.params, query: request.url.searchParams,
      headers: request.headers, body: request.body, caller, now,
    }, core);
    if (faultError) return fail(faultError);
    return { ...result, headers: { ...ids, ...result.headers } };
  } catch (error) {
    if (error instanceof GraphError) return fail(error);
    log.error({ err: error, method: request.method, path }, 'graph emulator: unexpected error');
    return fail(new GraphError(500, 'generalException', 'An unexpected error occurred in the local Graph emulator.'));
  }
}

function decodePath(path: string): string {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    return path;
  }
}

/** One request inside a `$batch` body. */
export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

function batchItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest('A batch needs a non-empty requests array.', 'BadRequest');
  if (requests.length > MAX_BATCH) throw badRequest(`Too many requests in the batch: ${requests.length}; the limit is ${MAX_BATCH}.`, 'BadRequest');
  const ids = new Set<string>();
  return requests.map((raw: unknown, i) => {
    const item = raw as Partial<BatchItem> | null;
    if (!item || typeof item.id !== 'string' || typeof item.method !== 'string' || typeof item.url !== 'string') {
      throw badRequest(`Batch request ${i} needs an id, a method and a url.`);
    }
    if (ids.has(item.id)) throw badRequest(`The batch request id '${item.id}' is used twice.`);
    if (/^https?:/i.test(item.url)) throw badRequest(`Batch request '${item.id}': the url must be relative to /v1.0.`);
    ids.add(item.id);
    return item as BatchItem;
  });
}

/** `POST /v1.0/$batch`: up to 20 requests, each authorised, throttled and answered on its own; `dependsOn` orders them. */
export async function dispatchBatch(core: EmulatorCore, verifier: TokenVerifier, log: Logger, outer: IncomingGraphRequest): Promise<RouteResult> {
  core.stats.batches += 1;
  let items: BatchItem[];
  try {
    items = batchItems(outer.body);
  } catch (error) {
    return errorResult(core, error instanceof GraphError ? error : badRequest('Invalid batch request.'), outer.headers['client-request-id']);
  }
  const statuses = new Map<string, number>();
  const responses: object[] = [];
  for (const item of items) {
    const failedDependency = (item.dependsOn ?? []).find((id) => (statuses.get(id) ?? 424) >= 400);
    let result: RouteResult;
    if (failedDependency !== undefined) {
      result = { status: 424, body: { error: { code: 'FailedDependency', message: `Request '${failedDependency}' failed or did not run.` } } };
    } else {
      const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const url = new URL(`/v1.0/${item.url.replace(/^\//, '')}`, outer.url);
      core.stats.inBatches += 1;
      result = await dispatch(core, verifier, log, {
        method: item.method.toUpperCase(), url, body: item.body, headers: { ...headers, authorization: outer.headers.authorization },
      });
    }
    statuses.set(item.id, result.status);
    responses.push({ id: item.id, status: result.status, headers: result.headers ?? {}, ...(result.body === undefined ? {} : { body: result.body }) });
  }
  return { status: 200, body: { responses } };
}
