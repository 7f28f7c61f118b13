/**
 * Node flags the bot runs with, everywhere (npm start, tests, benchmarks, `npm run serve`). Its live data is
 * about 60 MB; without a cap V8 lets the heap grow to ~350 MB of RSS under load on a roomy machine. 192 MB of
 * old space keeps it near 190 MB and flat at the same throughput (bench/bot.ts measures it).
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192'];
