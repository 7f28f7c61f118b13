import { hostname } from 'node:os';
import type { Clock } from '../clock';
import type { ConversationStore } from '../conversations';
import type { GraphSeam } from '../graph/graphSeam';
import type { Logger } from '../logger';
import type { ProactiveSender } from '../proactive/sender';
import type { KeyValueStore } from '../storage/keyValueStore';
import type { Telemetry } from '../telemetry';
import { digestJob } from './digestJob';
import { RunLeases } from './leases';
import { DigestScheduler } from './scheduler';
import { SubscriptionStore } from './subscriptions';

/** How often the digest scheduler looks for due digests (real time; what is due is judged on the bot's clock). */
export const DIGEST_TICK_MS = 15_000;
export const LOCAL_DIGEST_TICK_MS = 2_000;
/** A digest run's lease: renewed while it runs, taken over by another replica this long after its holder died. */
const DIGEST_LEASE_MS = 5 * 60_000;

/**
 * Scheduled channel digests, wired once by app.ts: subscriptions and one lease per subscription and period, shared by
 * every replica on `storage`; the job reads with the bot's own identity (the one place besides the seam that asks
 * for it: test/bot/graph/appIdentity.test.ts) and posts through the rate-limited sender.
 */
export function createDigestScheduler(deps: {
  storage: KeyValueStore; clock: Clock; log: Logger; conversations: ConversationStore; graph: GraphSeam; sender: Pick<ProactiveSender, 'post' | 'update'>;
  /** Spans per run and the digests-posted counter; none when absent. */
  telemetry?: Telemetry;
}): DigestScheduler {
  const leases = new RunLeases(deps.storage, deps.clock, { holder: `${hostname()}:${process.pid}`, leaseMs: DIGEST_LEASE_MS });
  const subscriptions = new SubscriptionStore(deps.storage, deps.clock);
  return new DigestScheduler({
    subscriptions, leases, leaseMs: DIGEST_LEASE_MS, clock: deps.clock, log: deps.log, telemetry: deps.telemetry,
    job: digestJob({ appGraph: deps.graph.forApp(), subscriptions, sender: deps.sender, clock: deps.clock, log: deps.log, telemetry: deps.telemetry }),
    isConversationSuspended: async (id) => {
      const stored = await deps.conversations.get(id);
      if (stored === undefined) {
        // The app was removed from the channel (its reference forgotten on uninstall): its digests end with it.
        const removed = await subscriptions.removeByConversation(id);
        deps.log.info({ conversationId: id, subscriptions: removed.map((subscription) => subscription.id) }, 'app removed from the channel: its digest subscriptions dropped');
        return true;
      }
      // A channel that refuses posts (403/404) is skipped until a turn there or a new install lifts the suspension.
      return stored.suspended !== undefined;
    },
  });
}
