import { performance } from 'node:perf_hooks';
import type { Telemetry } from './index';

/** The parts of an incoming activity that telemetry may carry: kinds and ids, nothing the user wrote. */
interface ActivityShape {
  type?: unknown;
  name?: unknown;
  conversation?: unknown;
}

/** A short kind (`message`, `invoke`, `signin/tokenExchange`, …), or `other`: never free text from the sender. */
const kind = (value: unknown): string | undefined => (typeof value === 'string' ? (/^[A-Za-z][\w./-]{0,63}$/.test(value) ? value : 'other') : undefined);

const conversationType = (conversation: unknown): string | undefined =>
  typeof conversation === 'object' && conversation !== null ? kind((conversation as { conversationType?: unknown }).conversationType) : undefined;

/**
 * Runs one turn in a `turn` span (kind server: activity type and name, conversation type, turnId, HTTP status) and
 * counts it in `bot.turns` / `bot.turn.duration` with its outcome (`ok`, or `error` for a 5xx answer, a throw or an
 * error onTurnError handled).
 */
export async function inTurn<T extends { status: number }>(telemetry: Telemetry, activity: ActivityShape, turnId: string, work: () => Promise<T>): Promise<T> {
  if (!telemetry.enabled) return work();
  const attributes = { 'bot.activity.type': kind(activity.type), 'bot.activity.name': kind(activity.name), 'bot.conversation.type': conversationType(activity.conversation) };
  const started = performance.now();
  let outcome = 'error';
  try {
    return await telemetry.inSpan('turn', { ...attributes, 'bot.turn.id': turnId }, async (span) => {
      const answer = await work();
      span.setAttributes({ 'http.response.status_code': answer.status });
      if (answer.status >= 500) span.fail(String(answer.status));
      // A failure the adapter handled (onTurnError: an apology, 200) marked the span failed too.
      if (!span.failed) outcome = 'ok';
      return answer;
    }, 'server');
  } finally {
    telemetry.countTurn({ ...attributes, 'bot.turn.outcome': outcome }, (performance.now() - started) / 1000);
  }
}
