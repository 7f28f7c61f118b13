import type { AppConfig } from './config';

/** A readiness check: resolves when the dependency is usable, throws otherwise. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
  /**
   * Run by `GET /healthz/ready` only, not by the older `GET /healthz`: an upstream Microsoft service (Entra ID,
   * Graph) that `/healthz` never contacted, so probes and tests pointed at `/healthz` keep its meaning.
   */
  readyOnly?: boolean;
}

/** What a probe answers: check names and ok/failed only. Reasons go to the log, never into the body. */
export interface HealthReport {
  ok: boolean;
  checks: Record<string, 'ok' | 'failed'>;
}

/** Why a check failed, for the log (the probe is unauthenticated: its body says no more than "failed"). */
export type FailureSink = (name: string, reason: string) => void;

/** Every check gets this long; a dependency slower than that is as good as down for a probe. */
export const CHECK_TIMEOUT_MS = 2000;
/** Each request to an upstream service gives up sooner, so the whole probe answers within CHECK_TIMEOUT_MS. */
export const UPSTREAM_TIMEOUT_MS = 1500;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => Promise.race([
  promise,
  new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
]);

/** The error's message, with its cause's code when there is one (fetch says only "fetch failed", its cause ENOTFOUND). */
const reasonOf = (error: unknown): string => {
  if (!(error instanceof Error)) return 'failed';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
};

/** Runs the checks side by side: ok only when every one passes. */
export async function checkHealth(checks: readonly HealthCheck[], onFailure: FailureSink = () => undefined,
  timeoutMs = CHECK_TIMEOUT_MS): Promise<HealthReport> {
  const results = await Promise.all(checks.map(async (item) => {
    try {
      await withTimeout(item.check(), timeoutMs);
      return [item.name, 'ok'] as const;
    } catch (error) {
      onFailure(item.name, reasonOf(error));
      return [item.name, 'failed'] as const;
    }
  }));
  return { ok: results.every(([, status]) => status === 'ok'), checks: Object.fromEntries(results) };
}

/**
 * A probe that runs `checks` at most once at a time: callers arriving while a run is under way share its result.
 * The probe is unauthenticated, so this keeps anyone from multiplying the bot's requests to Entra ID and Graph.
 */
export function sharedProbe(checks: readonly HealthCheck[], onFailure?: FailureSink): () => Promise<HealthReport> {
  let running: Promise<HealthReport> | undefined;
  return () => {
    running ??= checkHealth(checks, onFailure).finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** The checks `GET /healthz` runs: all but the {@link HealthCheck.readyOnly} ones. */
export const legacyChecks = (checks: readonly HealthCheck[]): HealthCheck[] => checks.filter((item) => item.readyOnly !== true);

/** A dependency reached over HTTP is up when it answers at all (any status). */
export const httpReachable = (name: string, url: string, options: { method?: 'GET' | 'HEAD'; timeoutMs?: number; readyOnly?: boolean } = {}): HealthCheck => ({
  name,
  readyOnly: options.readyOnly,
  check: async () => {
    const response = await fetch(url, { method: options.method ?? 'GET', signal: signalFor(options.timeoutMs) });
    await response.arrayBuffer();
  },
});

/** A document that must be served (2xx), such as an OpenID configuration: an error status means it is not usable. */
export const httpServes = (name: string, url: string, options: { timeoutMs?: number; readyOnly?: boolean } = {}): HealthCheck => ({
  name,
  readyOnly: options.readyOnly,
  check: async () => {
    const response = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: signalFor(options.timeoutMs) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  },
});

const signalFor = (timeoutMs: number | undefined): AbortSignal | undefined => (timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs));

/**
 * With an app id: the hosts the configuration names, and nothing else. Entra ID's OpenID configuration for the
 * tenant (must be served: a wrong tenant id fails here too) and Graph's root (any answer: without a token Graph
 * says 401, which still proves it is reachable). HEAD, not `$metadata`: that document is several megabytes.
 */
export function productionHealthChecks(config: Pick<AppConfig, 'aad' | 'graphBaseUrl'>, timeoutMs = UPSTREAM_TIMEOUT_MS): HealthCheck[] {
  return [
    httpServes('identityProvider', `${config.aad.authority}/v2.0/.well-known/openid-configuration`, { timeoutMs, readyOnly: true }),
    httpReachable('graph', `${config.graphBaseUrl}/v1.0/`, { method: 'HEAD', timeoutMs, readyOnly: true }),
  ];
}
