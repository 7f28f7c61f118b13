import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { BOT_APP_ID, TENANT_ID } from '../dev/tenant/tenant';
import { reviewedGroupId } from '../reviews/describe';
import { startBot, type BotProcess } from '../test/support/botProcess';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { USERS } from '../test/support/teamsActivities';

/** Issue targets for the bot over real HTTP: `help` turns/s, `reviews` latency net of Graph, RSS over 10,000 turns. */
const BOT_ID = `28:${BOT_APP_ID}`;
const CONVERSATIONS = 50;
const CONCURRENCY = 16;
const ADELE = USERS.adele;

const ms = (n: number): string => `${n.toFixed(2)} ms`;
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** A Bot Connector that accepts everything at once: 200 {"id": n} for every call, counted. */
interface Sink { url: string; calls: () => number; reset: () => void; close: () => Promise<void> }

async function startSink(): Promise<Sink> {
  let calls = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls += 1;
      const body = request.method === 'POST' || request.method === 'PUT' ? JSON.stringify({ id: String(calls) }) : '{}';
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`, calls: () => calls, reset: () => { calls = 0; },
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

let activitySeq = 0;
/** A personal-chat Teams message from Adele in conversation `a:bench-<n>`. */
function message(sink: Sink, conversation: number, text: string): string {
  activitySeq += 1;
  return JSON.stringify({
    type: 'message', id: `bench-${activitySeq}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: sink.url,
    from: { id: ADELE.id, aadObjectId: ADELE.aadObjectId, name: ADELE.name }, recipient: { id: BOT_ID },
    conversation: { id: `a:bench-${conversation}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } }, locale: 'en-US', text,
  });
}

async function post(bot: BotProcess, body: string): Promise<number> {
  const response = await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  if (response.status < 200 || response.status > 299) throw new Error(`POST /api/messages: ${response.status}`);
  return response.status;
}

/** `count` help turns spread over the conversations, `CONCURRENCY` at a time; `onTurn` after each completed turn. */
async function helpTurns(bot: BotProcess, sink: Sink, count: number, onTurn?: (done: number) => Promise<void>): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      await post(bot, message(sink, n % CONVERSATIONS, 'help'));
      done += 1;
      if (onTurn) await onTurn(done);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function throughputBench(bot: BotProcess, sink: Sink): Promise<void> {
  await helpTurns(bot, sink, 200);
  let turn = 0;
  // Two runs: the first right after the 200 warm-up turns, the second once the bot's JIT has settled.
  for (const label of ['after 200 warm-up turns', 'second run, warm']) {
    sink.reset();
    const result = await autocannon({
      url: bot.messagesUrl, method: 'POST', connections: CONCURRENCY, duration: 10, headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (request) => ({ ...request, body: message(sink, turn++ % CONVERSATIONS, 'help') }) }],
    });
    await new Promise((done) => setTimeout(done, 500)); // turns cut off by autocannon's stop still finish in the bot
    process.stdout.write(`help turns, ${CONCURRENCY} connections, 10 s, ${CONVERSATIONS} conversation ids round-robin (${label}): ` +
      `${Math.round(result.requests.average)} turns/s (target >= 300), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; ` +
      `connector calls ${sink.calls()} for ${result.requests.total} completed turns (up to ${CONCURRENCY} more were in flight at the stop)\n`);
  }
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

async function reviewsBench(tenant: LocalTenant, bot: BotProcess, sink: Sink): Promise<void> {
  const faults = await control(tenant, 'PUT', '/faults', {});
  if (faults.status !== 200) throw new Error(`faults off: ${faults.status}`);
  const conversation = CONVERSATIONS; // its own conversation, a:bench-50
  await post(bot, message(sink, conversation, 'reviews')); // signs Adele in (SSO_MODE=local) and runs once
  const token = await userToken(tenant, ADELE.userPrincipalName);
  sink.reset();
  const turns: number[] = [];
  const graphTimes: number[] = [];
  const byRoute = new Map<string, number>();
  let graphRequests = 0;
  for (let i = 0; i < 300; i += 1) {
    await control(tenant, 'POST', '/stats/reset');
    const started = performance.now();
    await post(bot, message(sink, conversation, 'reviews'));
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

async function rssBench(bot: BotProcess, sink: Sink, pid: number): Promise<void> {
  const samples: Array<{ turns: number; mb: number }> = [{ turns: 0, mb: (await rssKb(pid)) / 1024 }];
  const started = performance.now();
  await helpTurns(bot, sink, 10_000, async (done) => {
    if (done % 1000 === 0) samples.push({ turns: done, mb: (await rssKb(pid)) / 1024 });
  });
  const seconds = (performance.now() - started) / 1000;
  const last = samples[samples.length - 1]?.mb ?? NaN;
  const at2000 = samples.find((sample) => sample.turns === 2000)?.mb ?? NaN;
  const steady = samples.filter((sample) => sample.turns >= 2000).map((sample) => sample.mb);
  // RSS saws up and down with V8's collections; the lowest sample of a window is the floor after a collection.
  const floor = (from: number, to: number): number =>
    Math.min(...samples.filter((sample) => sample.turns >= from && sample.turns <= to).map((sample) => sample.mb));
  process.stdout.write(`RSS over 10,000 help turns (${CONCURRENCY} concurrent, ${CONVERSATIONS} conversations, ${(10_000 / seconds).toFixed(0)} turns/s): ` +
    `${samples.map((sample) => `${sample.turns / 1000}k ${sample.mb.toFixed(1)} MB`).join(', ')}\n`);
  process.stdout.write(`  final RSS ${last.toFixed(1)} MB (target < 250 MB), growth 2k→10k ${(last - at2000).toFixed(1)} MB (flat = small); ` +
    `2k–10k range ${Math.min(...steady).toFixed(1)}–${Math.max(...steady).toFixed(1)} MB, ` +
    `floor 2k–5k ${floor(2000, 5000).toFixed(1)} MB vs 7k–10k ${floor(7000, 10_000).toFixed(1)} MB\n`);
}

export async function benchBot(): Promise<void> {
  const sink = await startSink();
  let tenant: LocalTenant | undefined;
  let bot: BotProcess | undefined;
  try {
    tenant = await startLocalTenant();
    // LOG_LEVEL 'info', not 'warn': startBot waits for the bot's 'listening' line, which is logged at info.
    bot = await startBot(tenant, { env: { SSO_MODE: 'local', LOG_LEVEL: 'info' } });
    const pid = bot.pid;
    if (pid === undefined) throw new Error('bot process has no pid');
    process.stdout.write(`bot RSS at start (idle, tsx loader in-process): ${((await rssKb(pid)) / 1024).toFixed(1)} MB\n`);
    await throughputBench(bot, sink);
    await reviewsBench(tenant, bot, sink);
    await rssBench(bot, sink, pid);
    const errors = bot.lines.filter((line) => line.includes('"level":50') || line.includes('"level":60'));
    const warnings = bot.lines.filter((line) => line.includes('"level":40'));
    process.stdout.write(`bot log: ${bot.lines.length} lines, ${errors.length} error/fatal, ${warnings.length} warning\n`);
    for (const line of [...errors, ...warnings].slice(0, 5)) process.stdout.write(`  ${line.slice(0, 400)}\n`);
  } finally {
    await bot?.stop();
    if (bot) rmSync(bot.dataDir, { recursive: true, force: true });
    await tenant?.dispose();
    await sink.close();
  }
}
