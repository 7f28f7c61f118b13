import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Correlation ids on every log line of one unit of work (issue 14, item 4): a turn (`turnId`) or a scheduled run
 * (`runId`), carried by AsyncLocalStorage through everything the work awaits, and added to each line by the logger's
 * mixin (bot/logger.ts). Ids only: nothing a user sent.
 */
const context = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/** The correlation fields of the work in progress (none outside any). */
export const logContext = (): Readonly<Record<string, string>> => context.getStore() ?? {};

/** Runs `work` with `fields` added to the current correlation fields. */
export function withLogContext<T>(fields: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  return context.run({ ...logContext(), ...fields }, work);
}

/** A short id for a turn or a run (8 hex characters: enough to find its lines, as the error replies' ids are). */
export const newCorrelationId = (): string => randomUUID().slice(0, 8);
