/** A readiness check: resolves when the dependency is usable, throws otherwise. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, string>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => Promise.race([
  promise,
  new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
]);

/** `GET /healthz`: 200 only when every check passes. */
export async function checkHealth(checks: readonly HealthCheck[]): Promise<HealthReport> {
  const results = await Promise.all(checks.map(async (item) => {
    try {
      await withTimeout(item.check(), 2000);
      return [item.name, 'ok'] as const;
    } catch (error) {
      return [item.name, error instanceof Error ? error.message : 'failed'] as const;
    }
  }));
  return { ok: results.every(([, status]) => status === 'ok'), checks: Object.fromEntries(results) };
}

/** A dependency reached over HTTP is up when it answers at all (any status). */
export const httpReachable = (name: string, url: string): HealthCheck => ({
  name,
  check: async () => {
    const response = await fetch(url, { method: 'GET' });
    await response.arrayBuffer();
  },
});
