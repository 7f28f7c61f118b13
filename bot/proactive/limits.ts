/**
 * How fast the bot may post proactively, as token buckets that provably stay inside Teams' bot limits
 * (platform reference section 4, msteams-docs bots/how-to/rate-limit.md):
 *
 * | per bot per conversation (send / create) | 1 s: 7 | 2 s: 8 | 30 s: 60 | 3600 s: 1800 |
 * | per app per tenant, all requests         | 1 s: 50 |
 *
 * A bucket holds at most `burst` tokens and gains `refillAmount` every `refillEveryMs` (never above `burst`); a
 * request takes one. So in any window of length T at most `burst + refillAmount * ceil(T / refillEveryMs)`
 * tokens are taken, plus one request per conversation (a conversation posts one at a time, so a request can
 * start late, right before the next token is taken): {@link maxRequestsInWindow}. test/bot/proactive/limits.test.ts
 * checks every window of the table against these numbers.
 */

export interface TokenBucket {
  /** Tokens when full: the largest burst. */
  burst: number;
  refillAmount: number;
  refillEveryMs: number;
}

export interface ProactiveLimits {
  /** One bucket per conversation (Teams' per-thread limits). */
  conversation: TokenBucket;
  /** One bucket per tenant (Teams' 50 requests per second per app per tenant). */
  tenant: TokenBucket;
}

/** A Teams limit: at most `max` requests in any `windowMs`. */
export interface WindowLimit { windowMs: number; max: number }

export const TEAMS_CONVERSATION_LIMITS: readonly WindowLimit[] = [
  { windowMs: 1_000, max: 7 }, { windowMs: 2_000, max: 8 }, { windowMs: 30_000, max: 60 }, { windowMs: 3_600_000, max: 1800 },
];
export const TEAMS_TENANT_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 50 }];

/**
 * The defaults. Per conversation: a burst of 5, then one post every 2.5 s (at most 7 in 1 s, 7 in 2 s, 18 in 30 s,
 * 1446 in an hour). Per tenant: 8, plus 8 every 250 ms (at most 40 in any second: a fifth below Teams' 50, room for
 * the odd retry and for requests that reach Teams in a different order than they left).
 */
export const DEFAULT_LIMITS: ProactiveLimits = {
  conversation: { burst: 5, refillAmount: 1, refillEveryMs: 2_500 },
  tenant: { burst: 8, refillAmount: 8, refillEveryMs: 250 },
};

/** The most requests a bucket lets through in any window of `windowMs` (`sequential`: one request at a time). */
export function maxRequestsInWindow(bucket: TokenBucket, windowMs: number, sequential: boolean): number {
  return bucket.burst + bucket.refillAmount * Math.ceil(windowMs / bucket.refillEveryMs) + (sequential ? 1 : 0);
}
