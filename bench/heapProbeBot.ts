import { runProcess, serve } from '../bot/index';

/**
 * BENCH entry (bench/bot.ts starts it with `--expose-gc`, for this process only): the bot exactly as bot/index.ts
 * runs it, plus one answer on the IPC channel the benchmark opens: `{ gc: true }` → a full garbage collection,
 * then `process.memoryUsage()`, so the heap it reports is live data rather than garbage not yet collected.
 * No route, no configuration key: the production entry has none of this.
 */
function collectGarbage(): Promise<void> {
  const gc = globalThis.gc;
  if (gc === undefined) return Promise.reject(new Error('heapProbeBot needs node --expose-gc'));
  gc();
  // A second pass after the event loop turns, once finalizers and weak callbacks of the first have run.
  return new Promise((resolve) => setImmediate(() => {
    gc();
    resolve();
  }));
}

process.on('message', (message: unknown) => {
  if (typeof message !== 'object' || message === null || !('gc' in message) || message.gc !== true) return;
  collectGarbage().then(
    () => process.send?.({ memory: process.memoryUsage() }),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});

runProcess(() => serve());
