import Bottleneck from 'bottleneck';
import type { Activity } from 'botbuilder';
import type { Clock } from '../clock';
import { conversationKeyOf, type ConversationStore, type StoredConversation } from '../conversations';
import type { Logger } from '../logger';
import type { ProactiveConnector } from './botConnector';
import { classifyFailure, ProactiveSendError, type Failure } from './connectorFailure';
import { DEFAULT_LIMITS, type ProactiveLimits, type TokenBucket } from './limits';

export interface RetryPolicy {
  /** Attempts per post, the first included. */
  maxAttempts: number;
  /** Backoff without Retry-After: base × 2^(attempt-1), with full jitter between half and all of it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails the post (as retriesExhausted) rather than hold its conversation that long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface ProactiveSenderDeps {
  connector: ProactiveConnector;
  conversations: Pick<ConversationStore, 'get' | 'suspend'>;
  log: Logger;
  clock: Clock;
  limits?: ProactiveLimits;
  retry?: RetryPolicy;
  /** Waits between attempts (tests pass one that records and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

type Operation = { kind: 'post'; activity: Partial<Activity> } | { kind: 'update'; activityId: string; activity: Partial<Activity> };

const bucketOptions = (bucket: TokenBucket, heartbeatMs: number): Bottleneck.ConstructorOptions => ({
  reservoir: bucket.burst, reservoirIncreaseMaximum: bucket.burst,
  reservoirIncreaseAmount: bucket.refillAmount, reservoirIncreaseInterval: bucket.refillEveryMs,
  // Not in Bottleneck's typings, but an option of its local store: how often the bucket is refilled.
  heartbeatInterval: heartbeatMs,
});

/**
 * Posts and updates messages proactively (scheduled digests), as the bot, within Teams' rate limits.
 *
 * Library: Bottleneck (2.19, CommonJS with its own typings, so it loads under jest + ts-jest; ~35M weekly
 * downloads; stable API, though without a release since 2019). Its `Group` gives a limiter per key created on first
 * use and dropped when idle, and its reservoir refill (`reservoirIncrease*`) is a token bucket whose worst case in
 * any window can be proven against every one of Teams' windows (limits.ts). rate-limiter-flexible was the other
 * candidate: its memory limiter counts in fixed windows, which lets through twice the limit across a window edge,
 * so every limit would have had to be halved; p-queue / p-limit are ESM-only and do not load under jest here.
 *
 * Per conversation: one queue (one post at a time, in order; a Retry-After wait holds that conversation only),
 * then that conversation's bucket, then its tenant's bucket, for each attempt. Retries: 429 and 412 always; 502,
 * 504 and network failures only for updates (a PUT is idempotent) or when nothing left this machine, never a POST
 * that may have reached Teams (connectorFailure.ts), so a digest is never posted twice. 403/404 (bot removed,
 * channel gone) suspends the conversation in the ConversationStore, logged once, no retry.
 */
export class ProactiveSender {
  /**
   * A Group drops a key's limiter once idle for `timeout` counting from its last job's start, even while that job
   * still runs (Bottleneck's __groupCheck__): kept an hour, longer than a post with all its retries can take, so a
   * conversation never gets a second queue.
   */
  private readonly queues = new Bottleneck.Group({ maxConcurrent: 1, timeout: 3_600_000 });
  private readonly conversationBuckets: Bottleneck.Group;
  private readonly tenantBuckets: Bottleneck.Group;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly deps: ProactiveSenderDeps) {
    const limits = deps.limits ?? DEFAULT_LIMITS;
    this.conversationBuckets = new Bottleneck.Group(bucketOptions(limits.conversation, 250));
    // Refilled every 250 ms: look four times as often so a late timer does not halve the rate.
    this.tenantBuckets = new Bottleneck.Group(bucketOptions(limits.tenant, Math.max(10, Math.floor(limits.tenant.refillEveryMs / 5))));
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Posts a new message to a stored conversation (a channel: a new post); resolves with its id for later updates. */
  async post(conversationId: string, activity: Partial<Activity>): Promise<{ activityId: string }> {
    const activityId = await this.enqueue(conversationId, { kind: 'post', activity });
    return { activityId };
  }

  /** Replaces a message the bot posted (a digest card refreshed in the same period). */
  async update(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.enqueue(conversationId, { kind: 'update', activityId, activity });
  }

  private enqueue(conversationId: string, operation: Operation): Promise<string> {
    const key = conversationKeyOf(conversationId);
    return this.queues.key(key).schedule(() => this.deliver(key, operation));
  }

  private async deliver(conversationId: string, operation: Operation): Promise<string> {
    const stored = await this.deps.conversations.get(conversationId);
    if (stored === undefined) throw new ProactiveSendError('unknownConversation', conversationId);
    if (stored.suspended !== undefined) throw new ProactiveSendError('suspended', conversationId, { status: stored.suspended.status });
    const idempotent = operation.kind === 'update';
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(conversationId, stored, operation);
      } catch (error) {
        const failure = classifyFailure(error, idempotent, this.deps.clock.now());
        const delayMs = failure.kind === 'retry' ? this.delayBefore(attempt + 1, failure.retryAfterMs) : undefined;
        if (failure.kind === 'retry' && delayMs !== undefined) {
          this.deps.log.info({ conversationId, operation: operation.kind, status: failure.status, attempt, delayMs }, 'proactive post throttled or failed; retrying');
          await this.sleep(delayMs);
          continue;
        }
        throw await this.failed(conversationId, operation, failure, attempt, error);
      }
    }
  }

  private async attempt(conversationId: string, stored: StoredConversation, operation: Operation): Promise<string> {
    const tenant = this.tenantBuckets.key(stored.tenantId ?? '');
    return this.conversationBuckets.key(conversationId).schedule(() => tenant.schedule(async () => {
      if (operation.kind === 'post') return this.deps.connector.send(stored.reference, operation.activity);
      await this.deps.connector.update(stored.reference, operation.activityId, operation.activity);
      return operation.activityId;
    }));
  }

  /** How long to wait before attempt `next`, or undefined when there is none left (or Teams asks for too long a wait). */
  private delayBefore(next: number, retryAfterMs: number | undefined): number | undefined {
    if (next > this.retry.maxAttempts) return undefined;
    if (retryAfterMs !== undefined) {
      if (retryAfterMs > this.retry.maxRetryAfterMs) return undefined;
      // Never sooner than Teams asked; spread so throttled conversations do not all come back in the same instant.
      return Math.round(retryAfterMs + this.random() * Math.max(250, retryAfterMs * 0.2));
    }
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (next - 2));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async failed(conversationId: string, operation: Operation, failure: Failure, attempts: number, cause: unknown): Promise<ProactiveSendError> {
    const { log } = this.deps;
    switch (failure.kind) {
      case 'gone': {
        const first = await this.deps.conversations.suspend(conversationId, { reason: failure.code ?? `HTTP ${failure.status}`, status: failure.status });
        if (first) {
          log.warn({ conversationId, status: failure.status, code: failure.code }, 'conversation suspended: the connector refuses posts there (bot removed or conversation gone); its digests stop until the bot is added again');
        }
        return new ProactiveSendError('suspended', conversationId, { cause, status: failure.status });
      }
      case 'messageGone':
        return new ProactiveSendError('messageGone', conversationId, { cause, status: failure.status });
      case 'unconfirmed':
        log.warn({ conversationId, operation: operation.kind, status: failure.status, code: failure.code }, 'proactive post may or may not have reached Teams; not sent again');
        return new ProactiveSendError('unconfirmed', conversationId, { cause, ...(failure.status === undefined ? {} : { status: failure.status }) });
      case 'retry':
        log.error({ conversationId, operation: operation.kind, status: failure.status, attempts }, 'proactive post still failing after retries; given up');
        return new ProactiveSendError('retriesExhausted', conversationId, { cause, ...(failure.status === undefined ? {} : { status: failure.status }) });
      case 'fatal':
        log.error({ conversationId, operation: operation.kind, status: failure.status, code: failure.code }, 'proactive post rejected by the connector');
        return new ProactiveSendError('rejected', conversationId, { cause, ...(failure.status === undefined ? {} : { status: failure.status }) });
    }
  }
}
