import type { Caller } from './auth';
import type { ReviewService } from './reviews/service';
import type { Lifecycle } from './reviews/lifecycle';
import type { DecisionStore } from './store/decisionStore';
import type { DirectoryStore } from './store/directoryStore';
import type { ReviewStore } from './store/reviewStore';

/** One Graph request after authentication, as route handlers see it. */
export interface GraphRequest {
  method: string;
  /** Absolute request URL (for `@odata.nextLink`). */
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  caller: Caller;
  now: Date;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What handlers work with: the stores and services of one emulator. */
export interface Emulator {
  directory: DirectoryStore;
  reviews: ReviewStore;
  decisions: DecisionStore;
  service: ReviewService;
  lifecycle: Lifecycle;
  /** `http://127.0.0.1:<port>`: links in responses are absolute, as on Graph. */
  baseUrl: string;
  appName(appId: string): string;
}

export type Handler = (request: GraphRequest, emulator: Emulator) => RouteResult;

export interface Route {
  method: string;
  /** The route's name in `/_emulator/stats` `byRoute`, e.g. `GET /users/{id}`. */
  name: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** A route from a path template: `{name}` matches one segment; everything else is literal (case-insensitive, like Graph). */
export function route(method: string, template: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = template.split(/(\{\w+\})/).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part)?.[1];
    if (key) {
      keys.push(key);
      return '([^/]+)';
    }
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return { method, name: `${method} ${template}`, pattern: new RegExp(`^${source}/?$`, 'i'), keys, handler };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for a method and a decoded path (after `/v1.0`); `allowed` lists the methods the path has. */
export function match(routes: Route[], method: string, path: string): Match | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const candidate of routes) {
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    if (candidate.method !== method) {
      allowed.push(candidate.method);
      continue;
    }
    const params = Object.fromEntries(candidate.keys.map((key, i) => [key, found[i + 1] ?? '']));
    return { route: candidate, params };
  }
  return allowed.length > 0 ? { allowed } : undefined;
}
