import { randomUUID } from 'node:crypto';
import {
  Client, HTTPMessageHandler, RedirectHandler, RedirectHandlerOptions, RetryHandler, RetryHandlerOptions,
  type Context, type Middleware, type ShouldRetry,
} from '@microsoft/microsoft-graph-client';
import { GraphTelemetryMiddleware, type GraphTelemetry } from './graphTelemetry';

/**
 * Sets the caller's token on every request, whatever the host. The library's own AuthenticationHandler only
 * does so for https Graph hosts, so against the local emulator requests would go out without it (traps.md).
 */
class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly token: string) {}

  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers);
    headers.set('Authorization', `Bearer ${this.token}`);
    if (!headers.has('client-request-id')) headers.set('client-request-id', randomUUID());
    context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    if (this.next) await this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * Retries 429/503/504 honouring Retry-After (the library's RetryHandler). Writes are retried only on 429,
 * which Graph answers before doing anything; a 5xx after a write may hide a change that was made, so the
 * caller decides (it looks before it retries).
 */
const shouldRetry: ShouldRetry = (_delay, _attempt, _request, options, response) => {
  const method = (options?.method ?? 'GET').toUpperCase();
  return method === 'GET' || method === 'DELETE' || method === 'PUT' || response.status === 429;
};

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com or the local emulator's http://127.0.0.1:3982 */
  baseUrl: string;
  /** Seconds before the first retry when Graph gives no Retry-After. */
  retryDelaySeconds?: number;
  maxRetries?: number;
  /** A span and a `graph.requests` point per HTTP request (after the retry handler: each attempt); none when absent. */
  telemetry?: GraphTelemetry;
}

/** Makes Graph clients bound to one token: a per-call client over a shared retry/redirect/HTTP chain. */
export class GraphClientFactory {
  private readonly retryOptions: RetryHandlerOptions;

  constructor(private readonly options: GraphClientOptions) {
    this.retryOptions = new RetryHandlerOptions(options.retryDelaySeconds ?? 1, options.maxRetries ?? 3, shouldRetry);
  }

  /** A client that calls Graph with `token` (the signed-in user's, or the app's for scheduled work). */
  forToken(token: string): Client {
    const bearer = new BearerMiddleware(token);
    const retry = new RetryHandler(this.retryOptions);
    const redirect = new RedirectHandler(new RedirectHandlerOptions());
    bearer.setNext(retry);
    if (this.options.telemetry?.enabled === true) {
      const traced = new GraphTelemetryMiddleware(this.options.telemetry);
      retry.setNext(traced);
      traced.setNext(redirect);
    } else {
      retry.setNext(redirect);
    }
    redirect.setNext(new HTTPMessageHandler());
    return Client.initWithMiddleware({ middleware: bearer, baseUrl: `${this.options.baseUrl}/`, defaultVersion: 'v1.0' });
  }
}
