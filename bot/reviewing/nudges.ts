import { renderNudgeCard, nudgeWords, type NudgeKind } from '../../cards/nudge';
import { describeScope, reviewedGroupId } from '../../reviews/describe';
import { dayOf } from '../../reviews/describeDefinition';
import { timeLeft } from '../../reviews/summary';
import { inReviewsList } from '../../reviews/status';
import type { Clock } from '../clock';
import type { ConversationStore } from '../conversations';
import { intervalTicker, SharedPasses, type Ticker } from '../digests/scheduler';
import { isAppError } from '../errors';
import { decideArgs } from '../features/decide';
import { replyActivity } from '../features/feature';
import type { GraphApis, ReviewDefinition, ReviewInstance } from '../graph/apis';
import { newCorrelationId, withLogContext } from '../logContext';
import type { Logger } from '../logger';
import { noTelemetry, type Telemetry } from '../telemetry';
import { isProactiveSendError } from '../proactive/connectorFailure';
import type { ProactiveSender } from '../proactive/sender';
import type { KeyValueStore } from '../storage/keyValueStore';
import { nudgeKey, NudgeClaims, type StoredNudge } from './nudgeClaims';

export type { NudgeKind };
export { nudgeKey, type NudgeRecord } from './nudgeClaims';

const DAY = 86_400_000;
/** A run is announced only this long after its start: installing the bot does not nudge about month-old reviews. */
export const START_WINDOW_MS = 7 * DAY;
/** The reminder comes when this little is left (and the run lasts longer than this: else the start card said it all). */
export const REMINDER_BEFORE_MS = 2 * DAY;
/** How often a pass runs, by the bot's clock (in local mode the emulator's: an advance brings the next pass at once). */
export const NUDGE_EVERY_MS = 5 * 60_000;
/** Pages of 100 definitions read per pass (the rest are left for a bigger bound; logged). */
export const NUDGE_DEFINITION_PAGES = 5;
const CONCURRENCY = 4;

export interface NudgerDeps {
  /** Graph as the bot itself (client credentials, AccessReview.Read.All): definitions, runs, contacted reviewers, counts. */
  appGraph: GraphApis;
  store: KeyValueStore;
  conversations: Pick<ConversationStore, 'personalConversationOf'>;
  sender: Pick<ProactiveSender, 'post'>;
  clock: Clock;
  log: Logger;
  /** This process, written into claims (for humans reading the store). */
  holder: string;
  /** A `nudges.pass` span per pass (bot/telemetry); none when absent. */
  telemetry?: Pick<Telemetry, 'inSpan'>;
}

export interface NudgerOptions {
  everyMs?: number;
  claimMs?: number;
  definitionPages?: number;
}

/** One nudge a pass handled, or reviewers it could not reach. */
export type NudgeResult =
  | { instanceId: string; kind: NudgeKind; reviewerId: string; result: 'posted' | 'failed' }
  | { instanceId: string; kind: NudgeKind; unreachable: string[]; suspended: string[] };

interface Due { definition: ReviewDefinition; instance: ReviewInstance; kind: NudgeKind }
interface Reachable { reviewerId: string; conversationId: string; previous: StoredNudge | undefined }

const time = (value: string | null | undefined): number | undefined => {
  const parsed = Date.parse(value ?? '');
  return Number.isNaN(parsed) ? undefined : parsed;
};

/** Which nudges a run calls for at `now`: it must be InProgress; start within the window; reminder near the end. */
export function nudgesDue(instance: ReviewInstance, now: number): NudgeKind[] {
  if (instance.status !== 'InProgress') return [];
  const start = time(instance.startDateTime);
  const end = time(instance.endDateTime);
  const kinds: NudgeKind[] = [];
  if (start !== undefined && start <= now && now - start <= START_WINDOW_MS) kinds.push('start');
  if (end !== undefined && end > now && end - now <= REMINDER_BEFORE_MS && (start === undefined || end - start > REMINDER_BEFORE_MS)) kinds.push('reminder');
  return kinds;
}

async function inPool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
}

/**
 * Nudges for reviewers, sent proactively in personal chat (issue 13, item 5): when a run starts, each contacted
 * reviewer who has a personal chat with the bot gets one card with a Start button (the decision card, for them);
 * when at most two days are left and items are still undecided, one reminder. Read with the app identity only.
 *
 * Exactly once per reviewer, run and kind, across replicas and restarts: before posting, a process claims
 * `reviewing/nudges/<instance>/<kind>/<reviewer>` (create-if-absent: of two racing processes one wins), then records
 * the outcome in it. A claim whose holder died before settling it is taken over after NUDGE_CLAIM_MS (a conditional
 * write over its eTag), which is the one gap: a holder that dies between posting and settling is posted again.
 * A failed post (403 suspended, retries exhausted, …) settles the claim as failed, logged: never retried.
 * Reviewers without a personal chat (or whose chat refuses posts) are not claimed, so one who opens a chat while
 * the run is still in the window gets the card later; they are counted in one info line per run and kind.
 */
export class Nudger {
  private readonly everyMs: number;
  private readonly definitionPages: number;
  /** Claims known settled (no storage read for them again in this process). */
  private readonly settled = new Set<string>();
  private readonly claims: NudgeClaims;
  /** Runs and kinds whose every contacted reviewer is settled (no Graph read for them again). */
  private readonly done = new Set<string>();
  /** What was last logged about unreachable reviewers per run and kind (logged again only when it changes). */
  private readonly logged = new Map<string, string>();
  private lastPassAt: number;
  private readonly passes = new SharedPasses(() => {
    const runId = newCorrelationId();
    return withLogContext({ runId }, () => (this.deps.telemetry ?? noTelemetry).inSpan('nudges.pass', { 'bot.run.id': runId }, () => this.run()));
  });

  constructor(private readonly deps: NudgerDeps, options: NudgerOptions = {}) {
    this.everyMs = options.everyMs ?? NUDGE_EVERY_MS;
    this.definitionPages = options.definitionPages ?? NUDGE_DEFINITION_PAGES;
    this.claims = new NudgeClaims(deps.store, deps.clock, deps.log, { holder: deps.holder, ...(options.claimMs === undefined ? {} : { claimMs: options.claimMs }) });
    // The first pass comes one interval after start-up, not at once: a restart is not a reason to read Graph.
    this.lastPassAt = deps.clock.now();
  }

  /** Starts ticking (default every 15 s); a tick runs a pass once `everyMs` of the bot's clock has gone by. */
  start(ticker: Ticker = intervalTicker(15_000)): void {
    this.passes.start(ticker, () => this.tick(), (error) => this.deps.log.error({ err: error }, 'nudges: pass failed'));
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** A pass when one is due by the clock (or the clock went back); undefined otherwise. */
  async tick(): Promise<NudgeResult[] | undefined> {
    const now = this.deps.clock.now();
    if (now - this.lastPassAt < this.everyMs && now >= this.lastPassAt) return undefined;
    return this.pass();
  }

  /** One pass over the active reviews now; concurrent calls share the pass in progress. */
  pass(): Promise<NudgeResult[]> {
    return this.passes.run();
  }

  private async run(): Promise<NudgeResult[]> {
    const { appGraph, clock, log } = this.deps;
    this.lastPassAt = clock.now();
    const { definitions, complete } = await appGraph.reviews.allDefinitions(this.definitionPages);
    if (!complete) log.warn({ pages: this.definitionPages }, 'nudges: more reviews than one pass reads; the rest get no nudges');
    const active = definitions.filter((definition) => inReviewsList('active', definition.status));
    const due: Due[] = [];
    for (let from = 0; from < active.length; from += 100) {
      const chunk = active.slice(from, from + 100);
      const runs = await appGraph.reviews.instancesOf(chunk.map((definition) => definition.id));
      const now = clock.now();
      for (const definition of chunk) {
        for (const instance of runs.get(definition.id) ?? []) {
          for (const kind of nudgesDue(instance, now)) if (!this.done.has(`${instance.id}/${kind}`)) due.push({ definition, instance, kind });
        }
      }
    }
    const results: NudgeResult[] = [];
    for (const item of due) {
      try {
        results.push(...await this.nudge(item));
      } catch (error) {
        // One run's Graph or storage trouble must not stop the others; the next pass tries again.
        log.warn({ err: error, definitionId: item.definition.id, instanceId: item.instance.id, kind: item.kind }, 'nudges: could not nudge for a run');
      }
    }
    log.debug({ reviews: active.length, due: due.length, posted: results.filter((r) => 'result' in r && r.result === 'posted').length }, 'nudges: pass done');
    return results;
  }

  private async nudge({ definition, instance, kind }: Due): Promise<NudgeResult[]> {
    const { appGraph, conversations, log } = this.deps;
    const ids = { definitionId: definition.id, instanceId: instance.id, kind };
    const contacted = await appGraph.reviews.contactedReviewers(definition.id, instance.id);
    const reachable: Reachable[] = [];
    const unreachable: string[] = [];
    const suspended: string[] = [];
    let busy = 0;
    await inPool([...new Set(contacted.map((reviewer) => reviewer.id.toLowerCase()))], async (reviewerId) => {
      const key = nudgeKey(instance.id, kind, reviewerId);
      if (this.settled.has(key)) return;
      const previous = await this.claims.read(key);
      if (previous?.outcome !== undefined) {
        this.settled.add(key);
        return;
      }
      if (previous !== undefined && this.claims.isLive(previous)) {
        busy += 1;
        return;
      }
      const chat = await conversations.personalConversationOf(reviewerId);
      if (chat === undefined) unreachable.push(reviewerId);
      else if (chat.suspended !== undefined) suspended.push(reviewerId);
      else reachable.push({ reviewerId, conversationId: chat.conversationId, previous });
    });
    this.report(ids, unreachable, suspended);
    const results: NudgeResult[] = unreachable.length + suspended.length > 0 ? [{ instanceId: instance.id, kind, unreachable: unreachable.sort(), suspended: suspended.sort() }] : [];
    if (reachable.length === 0) {
      if (unreachable.length + suspended.length + busy === 0) this.done.add(`${instance.id}/${kind}`);
      return results;
    }
    const counted = await appGraph.reviews.countInstanceDecisions(definition.id, instance.id, 'NotReviewed');
    if (kind === 'reminder' && counted.count === 0) return results;
    // The list reads a few fields of each definition; the card also says what the review's creator wrote for reviewers.
    const full = await appGraph.reviews.getDefinition(definition.id);
    const reviewed = describeScope(full, await this.groupNames(full));
    const facts = {
      kind, reviewName: full.displayName ?? '(no name)', reviewed, due: dayOf(instance.endDateTime), timeLeft: timeLeft(instance, this.deps.clock.now()),
      undecided: counted.count, undecidedComplete: counted.complete, description: full.descriptionForReviewers ?? '',
      args: decideArgs(definition.id, instance.id, 'undecided', 0),
    };
    await inPool(reachable, async ({ reviewerId, conversationId, previous }) => {
      const claimed = await this.claims.claim(nudgeKey(instance.id, kind, reviewerId), { ...ids, reviewerId }, previous);
      if (claimed === undefined) return;
      const data = { ...facts, owner: reviewerId };
      const activity = { ...replyActivity({ card: renderNudgeCard(data) }), summary: nudgeWords(data).title };
      try {
        const { activityId } = await this.deps.sender.post(conversationId, activity);
        if (await this.claims.settle(claimed, { outcome: 'posted', activityId })) this.settled.add(claimed.key);
        log.info({ ...ids, reviewerId, conversationId }, 'nudge posted');
        results.push({ instanceId: instance.id, kind, reviewerId, result: 'posted' });
      } catch (error) {
        const reason = isProactiveSendError(error) ? error.reason : isAppError(error) ? error.code : 'error';
        // Settled as failed: a chat that refuses the bot (403/404 suspends it), Teams throttling past the retries, or a
        // post that may have arrived (unconfirmed) is not tried again; a nudge is a courtesy, a duplicate is worse.
        if (await this.claims.settle(claimed, { outcome: 'failed', reason })) this.settled.add(claimed.key);
        log.warn({ ...ids, reviewerId, conversationId, reason, err: error }, 'nudge not posted; not retried');
        results.push({ instanceId: instance.id, kind, reviewerId, result: 'failed' });
      }
    });
    return results;
  }

  /** One info line per run and kind about reviewers the bot cannot message (again only when the set changes). */
  private report(ids: { definitionId: string; instanceId: string; kind: NudgeKind }, unreachable: string[], suspended: string[]): void {
    const key = `${ids.instanceId}/${ids.kind}`;
    const summary = `${[...unreachable].sort().join(',')}|${[...suspended].sort().join(',')}`;
    if (unreachable.length + suspended.length === 0 || this.logged.get(key) === summary) return;
    this.logged.set(key, summary);
    // Ids only (no names): `suspended` are chats that refused the bot (403/404) until the reviewer talks to it again.
    const count = unreachable.length + suspended.length;
    this.deps.log.info({ ...ids, count, reviewerIds: [...unreachable].sort(), suspended: [...suspended].sort() },
      `${count} contacted reviewers have no personal chat with the bot: not messaged`);
  }

  private async groupNames(definition: ReviewDefinition): Promise<Map<string, string>> {
    const groupId = reviewedGroupId(definition);
    if (groupId === undefined) return new Map();
    // Only the card's words depend on it: without the name the card says "a group".
    return this.deps.appGraph.directory.groupNames([groupId]).catch((error: unknown) => {
      this.deps.log.warn({ err: error, definitionId: definition.id }, 'nudges: could not read the reviewed group\'s name');
      return new Map<string, string>();
    });
  }
}
