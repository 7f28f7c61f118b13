import type { Clock } from './clock';
import type { Logger } from './logger';

/**
 * Local mode only: reads the Graph emulator's time (`GET /_emulator/clock`, the local tenant's contract) so the
 * bot's clock follows it; concurrent turns share one read. A failed read keeps the last distance (the bot goes
 * on; the emulator's health check reports it).
 */
export function emulatorClockSync(clock: Clock & { follow(otherNow: number): void }, graphBaseUrl: string, log: Logger): () => Promise<void> {
  const url = new URL('/_emulator/clock', graphBaseUrl).href;
  let inFlight: Promise<void> | undefined;
  const read = async (): Promise<void> => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await response.json()) as { now?: unknown };
      const now = typeof body.now === 'string' ? Date.parse(body.now) : Number.NaN;
      if (!Number.isFinite(now)) throw new Error(`no time in the answer (HTTP ${response.status})`);
      clock.follow(now);
    } catch (error) {
      log.debug({ err: error }, 'could not read the Graph emulator clock; keeping the last one');
    }
  };
  // Turns that arrive while a read is under way share it (one request, not one per concurrent turn).
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
