import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { reviewedGroupId } from '../reviews/describe';
import { signChannelToken, startBotWithIpc, startProductionBot, type BotProcess, type IpcBotProcess } from '../test/support/botProcess';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { ADELE, CONCURRENCY, CONVERSATIONS, helpTurns, message, post, startSink, unauthenticated, type Sink, type Target } from './botHarness';

/**
 * Issue targets for the bot over real HTTP: `help` turns/s with Bot Framework authentication off (local mode) and
 * on (the production path, channel tokens from a local trust root), `reviews` latency net of Graph, and the live
 * heap (heapUsed after a forced GC) and RSS over 10,000 turns.
 */
/** The bot with one IPC answer, a forced GC then process.memoryUsage() (bench/heapProbeBot.ts). */
const HEAP_PROBE_ENTRY = join(__dirname, 'heapProbeBot.ts');

const ms = (n: number): string => `${n.toFixed(2)} ms`;
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface Throughput { turnsPerSecond: number; p50: number; p99: number }

/** One 10 s autocannon run of `help` turns at CONCURRENCY connections, printed. */
async function helpRun(target: Target, sink: Sink, label: string): Promise<Throughput> {
  let turn = 0;
  sink.reset();
  const result = await autocannon({
    url: target.bot.messagesUrl, method: 'POST', connections: CONCURRENCY, duration: 10, headers: target.headers,
    requests: [{ setupRequest: (request) => ({ ...request, body: message(sink, turn++ % CONVERSATIONS, 'help') }) }],
  });
  await new Promise((done) => setTimeout(done, 500)); // turns cut off by autocannon's stop still finish in the bot
  process.stdout.write(`help turns, ${label}: ${Math.round(result.requests.average)} turns/s (target >= 300), ` +
    `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; ` +
    `connector calls ${sink.calls()} (${sink.bearerCalls()} with a bearer token) for ${result.requests.total} completed turns ` +
    `(up to ${CONCURRENCY} more were in flight at the stop)\n`);
  return { turnsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * `help` throughput with Bot Framework authentication off and on, interleaved so both see the same machine (other
 * work on it shifts the numbers by more than the difference measured): 200 turns and one 10 s run each to warm up
 * (JIT), then ROUNDS pairs of measured runs, in alternating order.
 */
async function throughputBench(off: Target, on: Target, sink: Sink): Promise<void> {
  const ROUNDS = 2;
  const configs = [{ name: 'JWT validation off (local mode)', target: off }, { name: 'JWT validation on (production path)', target: on }];
  for (const { name, target } of configs) {
    await helpTurns(target, sink, 200);
    await helpRun(target, sink, `${name}, warm-up run after 200 turns`);
  }
  const measured = configs.map(() => [] as Throughput[]);
  for (let round = 1; round <= ROUNDS; round += 1) {
    const order = round % 2 === 1 ? [0, 1] : [1, 0];
    for (const i of order) {
      const config = configs[i];
      if (config) measured[i]?.push(await helpRun(config.target, sink, `${config.name}, ${CONCURRENCY} connections, 10 s, ${CONVERSATIONS} conversations, round ${round}`));
    }
  }
  const list = (runs: Throughput[], pick: (run: Throughput) => number): string => runs.map((run) => Math.round(pick(run))).join(' / ');
  process.stdout.write(`help turns, ${CONCURRENCY} connections, warm (${ROUNDS} interleaved 10 s runs each):\n`);
  configs.forEach(({ name }, i) => {
    const runs = measured[i] ?? [];
    const mean = runs.reduce((sum, run) => sum + run.turnsPerSecond, 0) / runs.length;
    process.stdout.write(`  ${name.padEnd(36)} ${Math.round(mean)} turns/s (runs ${list(runs, (run) => run.turnsPerSecond)}), ` +
      `p50 ${list(runs, (run) => run.p50)} ms, p99 ${list(runs, (run) => run.p99)} ms\n`);
  });
}

/** The two Graph calls `reviews` makes, as the bot makes them (listDefinitions(…, 11) and getGroupNames). */
async function graphShare(tenant: LocalTenant, token: string): Promise<number> {
  const started = performance.now();
  const select = 'id,displayName,status,scope,instanceEnumerationScope,reviewers,settings,createdBy,createdDateTime';
  const page = await graph(tenant, token, 'GET', `${REVIEWS}?$top=11&$select=${select}`);
  if (page.status !== 200) throw new Error(`list definitions: ${page.status}`);
  const definitions = page.body.value as AccessReviewScheduleDefinition[];
  const ids = [...new Set(definitions.map(reviewedGroupId).filter((id): id is string => id !== undefined))].slice(0, 15);
  if (ids.length > 0) {
    const filter = encodeURIComponent(`id in (${ids.map((id) => `'${id}'`).join(',')})`);
    const groups = await graph(tenant, token, 'GET', `/groups?$filter=${filter}&$select=id,displayName`);
    if (groups.status !== 200) throw new Error(`group names: ${groups.status}`);
  }
  return performance.now() - started;
}

async function reviewsBench(tenant: LocalTenant, target: Target, sink: Sink): Promise<void> {
  const faults = await control(tenant, 'PUT', '/faults', {});
  if (faults.status !== 200) throw new Error(`faults off: ${faults.status}`);
  const conversation = CONVERSATIONS; // its own conversation, a:bench-50
  await post(target, message(sink, conversation, 'reviews')); // signs Adele in (SSO_MODE=local) and runs once
  const token = await userToken(tenant, ADELE.userPrincipalName);
  sink.reset();
  const turns: number[] = [];
  const graphTimes: number[] = [];
  const byRoute = new Map<string, number>();
  let graphRequests = 0;
  for (let i = 0; i < 300; i += 1) {
    await control(tenant, 'POST', '/stats/reset');
    const started = performance.now();
    await post(target, message(sink, conversation, 'reviews'));
    turns.push(performance.now() - started);
    const stats = await control(tenant, 'GET', '/stats'); // the bot's own Graph requests for this turn only
    graphRequests += Number(stats.body.requests);
    for (const [route, n] of Object.entries(stats.body.byRoute as Record<string, number>)) byRoute.set(route, (byRoute.get(route) ?? 0) + n);
    graphTimes.push(await graphShare(tenant, token)); // right after, so turn and Graph share are paired
  }
  const own = turns.map((turn, i) => turn - (graphTimes[i] ?? 0));
  const routes = [...byRoute].map(([route, n]) => `${route} ×${n}`).join(', ');
  process.stdout.write(`reviews turns (300 sequential, signed in, emulator latency 0): turn p50 ${ms(percentile(turns, 50))}, p99 ${ms(percentile(turns, 99))}; ` +
    `same Graph calls made directly p50 ${ms(percentile(graphTimes, 50))}, p99 ${ms(percentile(graphTimes, 99))}; ` +
    `bot's own (turn − Graph, paired per turn) p50 ${ms(percentile(own, 50))}, p99 ${ms(percentile(own, 99))} (target p99 <= 30 ms)\n`);
  process.stdout.write(`  Graph requests per turn ${(graphRequests / turns.length).toFixed(2)} (${routes}); connector calls per turn ${(sink.calls() / turns.length).toFixed(2)}\n`);
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

interface MemorySample { turns: number; heapMb: number; rssMb: number }

/** heapUsed after a forced full GC (live data) and RSS, from the heap-probe bot, with no turn in flight. */
async function memorySample(bot: IpcBotProcess, pid: number, turns: number): Promise<MemorySample> {
  const reply = await bot.request({ gc: true }) as { memory?: NodeJS.MemoryUsage; error?: string };
  if (reply.memory === undefined) throw new Error(`heap sample: ${reply.error ?? JSON.stringify(reply)}`);
  return { turns, heapMb: reply.memory.heapUsed / 2 ** 20, rssMb: (await rssKb(pid)) / 1024 };
}

/** 10,000 help turns in steps of 1,000 (CONCURRENCY in flight within a step); a sample after a forced GC between steps. */
async function memoryBench(bot: IpcBotProcess, sink: Sink, pid: number): Promise<void> {
  const samples: MemorySample[] = [await memorySample(bot, pid, 0)];
  let busy = 0;
  for (let turns = 1000; turns <= 10_000; turns += 1000) {
    const started = performance.now();
    await helpTurns(unauthenticated(bot), sink, 1000);
    busy += performance.now() - started;
    samples.push(await memorySample(bot, pid, turns));
  }
  const at = (turns: number): MemorySample | undefined => samples.find((sample) => sample.turns === turns);
  const steady = samples.filter((sample) => sample.turns >= 2000);
  const series = (pick: (sample: MemorySample) => number): string =>
    samples.map((sample) => `${sample.turns / 1000}k ${pick(sample).toFixed(1)}`).join(', ');
  const growth = (pick: (sample: MemorySample) => number): string => {
    const from = at(2000);
    const to = at(10_000);
    return from && to ? `${(pick(to) - pick(from)) >= 0 ? '+' : ''}${(pick(to) - pick(from)).toFixed(2)} MB` : 'n/a';
  };
  const range = (pick: (sample: MemorySample) => number): string =>
    `${Math.min(...steady.map(pick)).toFixed(1)}–${Math.max(...steady.map(pick)).toFixed(1)} MB`;
  process.stdout.write(`memory over 10,000 help turns, auth off (${CONCURRENCY} concurrent, ${CONVERSATIONS} conversations, ` +
    `${(10_000 / (busy / 1000)).toFixed(0)} turns/s between samples; each sample after a forced full GC with no turn in flight):\n`);
  process.stdout.write(`  heapUsed MB: ${series((sample) => sample.heapMb)}\n`);
  process.stdout.write(`  heapUsed growth 2k→10k ${growth((sample) => sample.heapMb)} (flat = live data does not grow), 2k–10k range ${range((sample) => sample.heapMb)}\n`);
  process.stdout.write(`  RSS MB (same instants): ${series((sample) => sample.rssMb)}\n`);
  process.stdout.write(`  final RSS ${(at(10_000)?.rssMb ?? NaN).toFixed(1)} MB (target < 250 MB), RSS growth 2k→10k ${growth((sample) => sample.rssMb)}\n`);
}

/**
 * The production path: the bot with an app id (test/support/productionModeBot.ts), every activity's channel token
 * validated (signed by the local identity provider, the trust root that entry is given), its connector calls made
 * with its own token from that provider. Checked before use: no token → 401, and replies carry a bearer token.
 */
async function startAuthOnBot(tenant: LocalTenant, sink: Sink): Promise<{ bot: BotProcess; target: Target }> {
  const bot = await startProductionBot(tenant, { env: { LOG_LEVEL: 'info' } });
  const refused = await post(unauthenticated(bot), message(sink, 0, 'help')).then(String, (error: unknown) => String(error));
  if (!refused.includes('401')) throw new Error(`authentication is not on: a turn without a token answered ${refused}`);
  // One token for every activity, as the channel reuses its token until it nears expiry.
  const target: Target = { bot, headers: { 'content-type': 'application/json', authorization: `Bearer ${signChannelToken(tenant, sink.url)}` } };
  sink.reset();
  await post(target, message(sink, 0, 'help'));
  if (sink.bearerCalls() === 0) throw new Error('the bot answered the connector without a bearer token');
  return { bot, target };
}

function reportLog(name: string, bot: BotProcess): void {
  const errors = bot.lines.filter((line) => line.includes('"level":50') || line.includes('"level":60'));
  const warnings = bot.lines.filter((line) => line.includes('"level":40'));
  process.stdout.write(`${name} log: ${bot.lines.length} lines, ${errors.length} error/fatal, ${warnings.length} warning\n`);
  for (const line of [...errors, ...warnings].slice(0, 5)) process.stdout.write(`  ${line.slice(0, 400)}\n`);
}

export async function benchBot(): Promise<void> {
  const sink = await startSink();
  let tenant: LocalTenant | undefined;
  let bot: IpcBotProcess | undefined;
  let authOn: BotProcess | undefined;
  const stop = async (name: string, running?: BotProcess): Promise<void> => {
    if (!running) return;
    reportLog(name, running);
    await running.stop();
    rmSync(running.dataDir, { recursive: true, force: true });
  };
  try {
    tenant = await startLocalTenant();
    // LOG_LEVEL 'info', not 'warn': startBot waits for the bot's 'listening' line, which is logged at info.
    // --expose-gc for this bot process only (BOT_NODE_FLAGS are everyone's): the heap samples force a full GC.
    bot = await startBotWithIpc(HEAP_PROBE_ENTRY, tenant, { nodeFlags: ['--expose-gc'], env: { SSO_MODE: 'local', LOG_LEVEL: 'info' } });
    const pid = bot.pid;
    if (pid === undefined) throw new Error('bot process has no pid');
    const idle = await memorySample(bot, pid, 0);
    process.stdout.write(`bot at start (idle, tsx loader in-process): RSS ${idle.rssMb.toFixed(1)} MB, heapUsed after GC ${idle.heapMb.toFixed(1)} MB\n`);
    const started = await startAuthOnBot(tenant, sink);
    authOn = started.bot;
    await throughputBench(unauthenticated(bot), started.target, sink);
    await stop('production-mode bot (auth on)', authOn);
    authOn = undefined;
    await reviewsBench(tenant, unauthenticated(bot), sink);
    await memoryBench(bot, sink, pid);
  } finally {
    await stop('production-mode bot (auth on)', authOn);
    await stop('bot (auth off)', bot);
    await tenant?.dispose();
    await sink.close();
  }
}
