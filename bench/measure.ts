import { rmSync } from 'node:fs';
import { control, type LocalTenant } from '../test/support/localTenant';

/** What the benchmarks print and read from the local tenant, written once. */

export const n = (value: number): string => value.toLocaleString('en-US');
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
export const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');

/** A control route of the emulator that must succeed (2xx), its JSON body. */
export async function ok(tenant: LocalTenant, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const answer = await control(tenant, method, path, body);
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} /_emulator${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

export interface Stats { requests: number; batches: number; inBatches: number }

export async function stats(tenant: LocalTenant): Promise<Stats> {
  const body = await ok(tenant, 'GET', '/stats');
  return { requests: Number(body.requests), batches: Number(body.batches), inBatches: Number(body.inBatches) };
}

/** HTTP round trips of a phase: `/_emulator/stats` counts every request, those inside a `$batch` apart, and the batches. */
export const roundTrips = (phase: Stats): number => phase.requests - phase.inBatches + phase.batches;

/**
 * Stops what a benchmark started, whichever parts did start: the tenant's faults cleared first (a failed run may have
 * left latency on), then the Teams client, the bot (and its data folder), the tenant.
 */
export async function stopStack(parts: { tenant?: LocalTenant; teams?: { stop(): Promise<void> }; bot?: { stop(): Promise<void>; dataDir: string } }): Promise<void> {
  if (parts.tenant) await control(parts.tenant, 'PUT', '/faults', {}).catch(() => undefined);
  await parts.teams?.stop();
  await parts.bot?.stop();
  if (parts.bot) rmSync(parts.bot.dataDir, { recursive: true, force: true });
  await parts.tenant?.dispose();
}
