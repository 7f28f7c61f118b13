/**
 * Teams' bot rate limits as the simulated connector (teamsClient.ts) enforces them, from msteams-docs
 * bots/how-to/rate-limit.md (platform reference section 4): per bot per thread (conversation id), send / create
 * 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour; get members / conversations 14, 16, 120, 3600; and 50 requests
 * per second per app per tenant, all operations. The page gives no window semantics: windows slide here (the
 * strictest reading), and a refused request does not count. Past a limit Teams answers 429 with Retry-After.
 */

export interface WindowRule { windowMs: number; max: number }

export const SEND_PER_THREAD: readonly WindowRule[] = [
  { windowMs: 1_000, max: 7 }, { windowMs: 2_000, max: 8 }, { windowMs: 30_000, max: 60 }, { windowMs: 3_600_000, max: 1800 },
];
export const READ_PER_THREAD: readonly WindowRule[] = [
  { windowMs: 1_000, max: 14 }, { windowMs: 2_000, max: 16 }, { windowMs: 30_000, max: 120 }, { windowMs: 3_600_000, max: 3600 },
];
export const PER_APP_PER_TENANT: readonly WindowRule[] = [{ windowMs: 1_000, max: 50 }];

/** What a connector call counts against besides the per-tenant limit: a thread's send or read limits, or nothing more. */
export interface Metered { thread?: string; kind: 'send' | 'read' }

const RULES = { send: SEND_PER_THREAD, read: READ_PER_THREAD } as const;

/** Request times per key with sliding-window checks. */
export class SlidingWindows {
  private readonly times = new Map<string, number[]>();

  /** Milliseconds until a request on `key` would fit every rule (0: it fits now). */
  waitMs(key: string, rules: readonly WindowRule[], now: number): number {
    const times = this.prune(key, now);
    let wait = 0;
    for (const rule of rules) {
      const inWindow = times.filter((at) => at > now - rule.windowMs);
      if (inWindow.length >= rule.max) {
        // The oldest request that has to leave the window for one more to fit.
        const leaving = inWindow[inWindow.length - rule.max] ?? now;
        wait = Math.max(wait, leaving + rule.windowMs - now);
      }
    }
    return wait;
  }

  record(key: string, now: number): void {
    const times = this.times.get(key) ?? [];
    times.push(now);
    this.times.set(key, times);
  }

  clear(): void {
    this.times.clear();
  }

  private prune(key: string, now: number): number[] {
    const times = (this.times.get(key) ?? []).filter((at) => at > now - 3_600_000);
    this.times.set(key, times);
    return times;
  }
}

/**
 * The limits of one app in one tenant: admits a call (recording it) or says how many seconds to wait
 * (the Retry-After of the 429: whole seconds, at least 1).
 */
export class ConnectorLimits {
  private readonly windows = new SlidingWindows();

  admit(metered: Metered, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const threadKey = metered.thread === undefined ? undefined : `${metered.kind}:${metered.thread}`;
    const wait = Math.max(
      this.windows.waitMs('tenant', PER_APP_PER_TENANT, now),
      threadKey === undefined ? 0 : this.windows.waitMs(threadKey, RULES[metered.kind], now),
    );
    if (wait > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    this.windows.record('tenant', now);
    if (threadKey !== undefined) this.windows.record(threadKey, now);
    return { ok: true };
  }

  clear(): void {
    this.windows.clear();
  }
}

/** The most events of `times` (sorted) in any window of `windowMs` (a window [t, t + windowMs) starting at an event). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/**
 * The highest rates in `calls` (each with its time and the connector path `/v3/conversations/<id>/…`): per tenant
 * (all calls) in any second, and per window of Teams' per-conversation limits the worst conversation's.
 */
export function connectorRates(calls: ReadonlyArray<{ path: string; at: number }>, conversationWindows: readonly number[]): { tenantPerSecond: number; conversation: Record<number, number> } {
  const byConversation = new Map<string, number[]>();
  for (const call of calls) {
    const conversation = call.path.split('/')[3] ?? '';
    byConversation.set(conversation, [...(byConversation.get(conversation) ?? []), call.at]);
  }
  const conversation: Record<number, number> = {};
  for (const windowMs of conversationWindows) {
    conversation[windowMs] = Math.max(0, ...[...byConversation.values()].map((times) => maxInWindow(times, windowMs)));
  }
  return { tenantPerSecond: maxInWindow(calls.map((call) => call.at), 1_000), conversation };
}
