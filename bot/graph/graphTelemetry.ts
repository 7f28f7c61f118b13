import { performance } from 'node:perf_hooks';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Telemetry } from '../telemetry';

/** What the Graph layer needs of telemetry. */
export type GraphTelemetry = Pick<Telemetry, 'enabled' | 'inSpan' | 'countGraphRequest'>;

/** Collections whose next segment is a key (an id, or a user principal name for `users`). */
const KEYED = new Set([
  'users', 'groups', 'definitions', 'instances', 'decisions', 'stages', 'reviewers', 'contactedReviewers', 'historyDefinitions',
  'directoryRoles', 'roleDefinitions', 'servicePrincipals', 'applications', 'members', 'owners', 'transitiveMembers', 'memberOf',
  'transitiveMemberOf', 'drives', 'items', 'children', 'chats', 'teams', 'channels', 'messages',
]);
const KEPT = /^(?:v1\.0|beta|\$[A-Za-z]+|microsoft\.graph\.[A-Za-z.]+)$/;
const NAME = /^[A-Za-z]+$/;
const FUNCTION = /^([A-Za-z.]+)\((.*)\)$/;

/**
 * A Graph path as a template, e.g. `/v1.0/identityGovernance/accessReviews/definitions/{id}/instances/{id}`: the
 * segment after a keyed collection and anything that is not a plain name becomes `{id}`, function arguments too;
 * the query string is dropped (a `$filter` may quote what a user typed).
 */
export function graphPathTemplate(pathname: string): string {
  const out: string[] = [];
  for (const segment of pathname.split('/').filter((part) => part !== '')) {
    const previous = out.at(-1);
    const call = FUNCTION.exec(segment);
    if (KEPT.test(segment)) out.push(segment);
    else if (previous !== undefined && KEYED.has(previous)) out.push('{id}');
    else if (call?.[1] !== undefined) out.push(call[2] === '' ? segment : `${call[1]}({id})`);
    else out.push(NAME.test(segment) ? segment : '{id}');
  }
  return `/${out.join('/')}`;
}

/** The request's URL (the client passes a string; a Request is read too). */
const urlOf = (request: unknown): URL | undefined => {
  const text = typeof request === 'string' ? request : request instanceof Request ? request.url : undefined;
  return text !== undefined && URL.canParse(text) ? new URL(text) : undefined;
};

/** 429, or 503 with Retry-After: Graph asking the caller to slow down. */
const isThrottled = (response: Response | undefined): boolean =>
  response !== undefined && (response.status === 429 || (response.status === 503 && response.headers.has('retry-after')));

/**
 * One span (`GET /v1.0/…`, kind client) and one `graph.requests` point per HTTP request, placed after the retry
 * handler so that every attempt, a throttled one included, is seen. Reads the method, the path and the answer's
 * status; never a header (the token is in one) or a body.
 */
export class GraphTelemetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly telemetry: GraphTelemetry) {}

  async execute(context: Context): Promise<void> {
    const url = urlOf(context.request);
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const template = url === undefined ? '/' : graphPathTemplate(url.pathname);
    const attributes = { 'http.request.method': method, 'url.template': template, 'server.address': url?.hostname };
    const started = performance.now();
    await this.telemetry.inSpan(`${method} ${template}`, attributes, async (span) => {
      let status = 0;
      try {
        await this.next?.execute(context);
        status = context.response?.status ?? 0;
      } finally {
        const throttled = isThrottled(context.response);
        const outcome = { 'http.response.status_code': status || undefined, 'graph.throttled': throttled };
        span.setAttributes(outcome);
        if (status >= 400) span.fail(String(status));
        this.telemetry.countGraphRequest({
          'http.request.method': method, 'url.template': template, 'http.response.status_class': status === 0 ? 'error' : `${Math.floor(status / 100)}xx`, 'graph.throttled': throttled,
        }, (performance.now() - started) / 1000);
      }
    }, 'client');
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
