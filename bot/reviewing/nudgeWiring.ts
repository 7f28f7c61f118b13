import { hostname } from 'node:os';
import type { Clock } from '../clock';
import type { ConversationStore } from '../conversations';
import type { GraphSeam } from '../graph/graphSeam';
import type { Logger } from '../logger';
import type { ProactiveSender } from '../proactive/sender';
import type { KeyValueStore } from '../storage/keyValueStore';
import type { Telemetry } from '../telemetry';
import { Nudger } from './nudges';

/**
 * Reviewer nudges, wired once by app.ts next to the digest scheduler: the same store (claims shared by every replica),
 * the same clock and rate-limited sender, and Graph as the bot itself (scheduled work: test/bot/graph/appIdentity.test.ts).
 */
export function createNudgeScheduler(deps: {
  storage: KeyValueStore; clock: Clock; log: Logger; conversations: ConversationStore; graph: Pick<GraphSeam, 'forApp'>; sender: Pick<ProactiveSender, 'post'>;
  /** A span per pass; none when absent. */
  telemetry?: Telemetry;
}): Nudger {
  return new Nudger({
    appGraph: deps.graph.forApp(), store: deps.storage, conversations: deps.conversations, sender: deps.sender,
    clock: deps.clock, log: deps.log, holder: `${hostname()}:${process.pid}`, telemetry: deps.telemetry,
  });
}
