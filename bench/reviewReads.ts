import { join } from 'node:path';
import { BOT_APP_ID, TENANT_ID } from '../dev/tenant/tenant';
import { COUNTED_FIELDS } from '../bot/features/decisions';
import { GraphClientFactory } from '../bot/graph/graphClient';
import { INSTANCE_BATCHES_IN_FLIGHT } from '../bot/graph/decisionScan';
import { instancesPage, scanDecisions } from '../bot/graph/reviewReads';
import { startBotWithIpc, type IpcBotProcess } from '../test/support/botProcess';
import { REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { TeamsClient, USERS, type SentActivity } from '../test/support/teamsClient';
import { mark, median, n, ok, roundTrips, secs, stats, stopStack, type Stats } from './measure';

/**
 * Issue 11's measures on a large run: `decisions <review>` (wall time and Graph round trips at 50 ms emulator latency,
 * beside a naive sequential `@odata.nextLink` walk over the same instance) and `export` (wall time, and the bot's
 * heapUsed after a forced GC sampled while the export runs, at 10,000 rows and at 100,000).
 */
const HEAP_PROBE_ENTRY = join(__dirname, 'heapProbeBot.ts');
const ADELE = USERS.adele;
const LATENCY_MS = 50;
const TARGET_DECISIONS_MS = 3000;
const TARGET_ROUND_TRIPS = 80;
const TARGET_HEAP_RATIO = 1.2;

export interface ReviewReadsSizes {
  /** Decision items of the large instance (the 100,000). */
  items: number;
  /** Where the first heap sample is taken during the export (the 10,000). */
  firstSampleRows: number;
  /** Bot `decisions` turns measured at the latency. */
  runs: number;
}
const REAL_SIZES: ReviewReadsSizes = { items: 100_000, firstSampleRows: 10_000, runs: 3 };

interface Bench { tenant: LocalTenant; bot: IpcBotProcess; teams: TeamsClient }

async function seed(tenant: LocalTenant, items: number): Promise<string> {
  const started = performance.now();
  const body = await ok(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: items });
  const id = (body.definitions as string[] | undefined)?.[0];
  if (id === undefined) throw new Error(`seed answered no definition: ${JSON.stringify(body)}`);
  process.stdout.write(`seeded a review with one ${n(items)}-decision run in ${secs(performance.now() - started)}\n`);
  return id;
}

/** Texts of a card's TextBlocks and RichTextBlocks, in order (the decisions card's count rows are label, value). */
function texts(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) texts(item, into);
  else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (node.type === 'TextBlock') into.push(String(node.text));
    if (node.type === 'RichTextBlock' && Array.isArray(node.inlines)) into.push(node.inlines.map((run) => String((run as { text?: unknown }).text)).join(''));
    for (const item of Object.values(node)) texts(item, into);
  }
  return into;
}

/** One `decisions <id>` turn as Adele: message → the decisions card (timed), with the Graph stats of the turn. */
async function decisionsTurn({ tenant, teams }: Bench, definitionId: string, items: number): Promise<{ ms: number; stats: Stats }> {
  teams.clear();
  await ok(tenant, 'POST', '/stats/reset');
  const started = performance.now();
  const delivered = teams.message(ADELE, `decisions ${definitionId}`);
  const sent = await teams.waitFor(() => teams.sent.find((s: SentActivity) => JSON.stringify(s.activity).includes('"type":"AdaptiveCard"')), 120_000);
  const ms = performance.now() - started;
  if ((await delivered).status !== 200) throw new Error('decisions turn failed');
  const all = texts(sent.activity);
  const counted = all[all.indexOf('Items') + 1];
  if (counted !== n(items)) throw new Error(`the decisions card counts ${String(counted)} items, not ${n(items)}: ${all.slice(0, 12).join(' | ')}`);
  return { ms, stats: await stats(tenant) };
}

/** The naive reader: `$top=100` pages one after another by `@odata.nextLink`, with fetch and Adele's token. */
async function naiveWalk(tenant: LocalTenant, token: string, definitionId: string): Promise<{ ms: number; items: number; stats: Stats }> {
  await ok(tenant, 'POST', '/stats/reset');
  const started = performance.now();
  const headers = { authorization: `Bearer ${token}` };
  const instances = await fetch(`${tenant.graph}/v1.0${REVIEWS}/${definitionId}/instances`, { headers });
  const instanceId = ((await instances.json()) as { value: Array<{ id: string }> }).value[0]?.id;
  if (instanceId === undefined) throw new Error('the seeded review has no run');
  let next: string | undefined = `${tenant.graph}/v1.0${REVIEWS}/${definitionId}/instances/${instanceId}/decisions?$top=100`;
  let items = 0;
  while (next !== undefined) {
    const response = await fetch(next, { headers });
    if (response.status !== 200) throw new Error(`naive walk: ${response.status} after ${items} items`);
    const page = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    items += page.value.length;
    next = page['@odata.nextLink'];
  }
  return { ms: performance.now() - started, items, stats: await stats(tenant) };
}

/** The bot's counting scan alone (bot/graph/reviewReads.ts scanDecisions over HTTP with Adele's token, no bot turn around it). */
async function scanAlone(tenant: LocalTenant, token: string, definitionId: string): Promise<{ ms: number; items: number; batches: number }> {
  const client = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 }).forToken(token);
  const { instances } = await instancesPage(client, definitionId);
  const instanceId = instances[0]?.id ?? '';
  const started = performance.now();
  let items = 0;
  const scan = await scanDecisions(client, definitionId, instanceId, { select: COUNTED_FIELDS }, (page) => { items += page.length; });
  return { ms: performance.now() - started, items, batches: scan.requests };
}

async function decisionsBench(bench: Bench, token: string, definitionId: string, sizes: ReviewReadsSizes): Promise<void> {
  const { tenant } = bench;
  await ok(tenant, 'PUT', '/faults', {});
  const cold = await decisionsTurn(bench, definitionId, sizes.items); // signs Adele in (SSO_MODE=local), loads the code paths
  const warm = await decisionsTurn(bench, definitionId, sizes.items);
  await ok(tenant, 'PUT', '/faults', { latencyMs: LATENCY_MS });
  // Each turn paired with the bot's counting scan run alone right after it: the machine is shared, so only
  // a paired difference says what the bot itself adds.
  const runs: Array<{ ms: number; stats: Stats }> = [];
  const directs: Array<{ ms: number; items: number; batches: number }> = [];
  for (let i = 0; i < sizes.runs; i += 1) {
    runs.push(await decisionsTurn(bench, definitionId, sizes.items));
    directs.push(await scanAlone(tenant, token, definitionId));
  }
  const direct = { ...directs[directs.length - 1] ?? { items: 0, batches: 0 }, ms: median(directs.map((d) => d.ms)) };
  const own = runs.map((run, i) => run.ms - (directs[i]?.ms ?? NaN));
  const naive = await naiveWalk(tenant, token, definitionId);
  await ok(tenant, 'PUT', '/faults', {});
  const directFast = await scanAlone(tenant, token, definitionId);

  const last = runs.at(-1)?.stats ?? warm.stats;
  const trips = roundTrips(last);
  const wall = median(runs.map((run) => run.ms));
  process.stdout.write(`decisions on a ${n(sizes.items)}-decision run, emulator latency ${LATENCY_MS} ms per HTTP request:\n`);
  process.stdout.write(`  bot \`decisions <id>\` turn (message → card): median ${secs(wall)} of ${sizes.runs} (${runs.map((run) => secs(run.ms)).join(' / ')}) ` +
    `— target <= ${secs(TARGET_DECISIONS_MS)}: ${mark(wall <= TARGET_DECISIONS_MS)}\n`);
  process.stdout.write(`    Graph: ${trips} HTTP round trips — target <= ${TARGET_ROUND_TRIPS}: ${mark(trips <= TARGET_ROUND_TRIPS)} ` +
    `(${last.batches} $batch carrying ${last.inBatches} decision pages, plus ${last.requests - last.inBatches} other requests)\n`);
  process.stdout.write(`    same turn at latency 0: ${secs(warm.ms)} warm (first, with sign-in: ${secs(cold.ms)}); ` +
    `${LATENCY_MS} ms × ${trips} sequential round trips alone = ${secs(LATENCY_MS * trips)}\n`);
  process.stdout.write(`  the counting scan alone (its ${direct.batches} $batch requests, ${INSTANCE_BATCHES_IN_FLIGHT} at most at once; no bot turn), each right after a turn: ` +
    `median ${secs(direct.ms)} at ${LATENCY_MS} ms (${directs.map((d) => secs(d.ms)).join(' / ')}), ${secs(directFast.ms)} at latency 0 (${n(direct.items)} items) — ` +
    `the emulator answers the pages of its batches one after another on this machine's cores\n`);
  process.stdout.write(`    the turn around it (turn − scan, paired): median ${secs(median(own))} (${own.map(secs).join(' / ')})\n`);
  process.stdout.write(`  naive sequential @odata.nextLink walk ($top=100, fetch): ${secs(naive.ms)}, ${n(naive.items)} items, ` +
    `${roundTrips(naive.stats)} round trips — ${(naive.ms / wall).toFixed(1)}× the bot's time, ${(roundTrips(naive.stats) / trips).toFixed(1)}× its round trips\n`);
}

interface HeapSample { label: string; rowsBefore: number; rowsAfter: number; heapMb: number }

/** Rows so far on the latest export progress card (0 before the first). */
function progressRows(teams: TeamsClient): number {
  const card = [...teams.activities].reverse().find((s) => JSON.stringify(s.activity).includes('"Rows so far"'));
  const value = /"title":"Rows so far","value":"([\d,]+)"/.exec(JSON.stringify(card?.activity ?? {}))?.[1];
  return value === undefined ? 0 : Number(value.replace(/,/g, ''));
}

async function heapMb(bot: IpcBotProcess): Promise<number> {
  const reply = await bot.request({ gc: true }) as { memory?: NodeJS.MemoryUsage; error?: string };
  if (reply.memory === undefined) throw new Error(`heap sample: ${reply.error ?? JSON.stringify(reply)}`);
  return reply.memory.heapUsed / 2 ** 20;
}

/**
 * `export <id>` (local delivery: the CSV is kept under the bot's data folder and the reply gives its path), timed to
 * the reply; heap samples (forced full GC in the bot, answered between two Graph pages of the running export) once
 * the progress card shows `sampleAt` rows each.
 */
async function exportRun({ bot, teams }: Bench, definitionId: string, sampleAt: readonly number[]): Promise<{ ms: number; samples: HeapSample[]; reply: string }> {
  teams.clear();
  const samples: HeapSample[] = [];
  const started = performance.now();
  const delivered = teams.message(ADELE, `export ${definitionId}`);
  let finished = false;
  void delivered.finally(() => { finished = true; });
  for (const rows of sampleAt) {
    const rowsBefore = await teams.waitFor(() => { const seen = progressRows(teams); return seen >= rows ? seen : undefined; }, 600_000);
    const heap = await heapMb(bot);
    const label = finished ? 'after the reply' : rowsBefore >= rows && rows === sampleAt.at(-1) ? 'at the final card' : 'during the export';
    samples.push({ label, rowsBefore, rowsAfter: progressRows(teams), heapMb: heap });
  }
  const delivery = await delivered;
  const ms = performance.now() - started;
  if (delivery.status !== 200) throw new Error(`export turn: ${delivery.status}`);
  const reply = await teams.waitFor(() => teams.sent.map((s) => (typeof s.activity.text === 'string' ? s.activity.text : '')).find((text) => text.startsWith('Saved ')), 30_000);
  return { ms, samples, reply };
}

async function exportBench(bench: Bench, definitionId: string, sizes: ReviewReadsSizes): Promise<void> {
  await ok(bench.tenant, 'PUT', '/faults', {});
  const warm = await exportRun(bench, definitionId, [sizes.firstSampleRows]); // loads every export code path once
  const idle = await heapMb(bench.bot);
  const run = await exportRun(bench, definitionId, [sizes.firstSampleRows, Math.round(sizes.items / 2), sizes.items]);
  const first = run.samples[0];
  const lastSample = run.samples.at(-1);
  const ratio = first && lastSample ? lastSample.heapMb / first.heapMb : NaN;
  const rows = /Saved ([\d,]+) decisions/.exec(run.reply)?.[1] ?? '?';
  process.stdout.write(`export of a ${n(sizes.items)}-decision run (emulator latency 0, local delivery: CSV file under the bot's data folder):\n`);
  process.stdout.write(`  wall time message → reply: ${secs(run.ms)} (warm-up run ${secs(warm.ms)}); ${rows} rows\n`);
  process.stdout.write(`  bot heapUsed after a forced full GC: idle before the export ${idle.toFixed(1)} MB; ` +
    run.samples.map((s) => `${s.label} at ${n(s.rowsBefore)} rows ${s.heapMb.toFixed(1)} MB`).join('; ') + '\n');
  process.stdout.write(`  (sampled inside the running export: the probe's GC runs between two Graph pages once the progress card, ` +
    `updated every 10 pages, shows the row count; the last sample follows the final card)\n`);
  process.stdout.write(`  heap at ${n(sizes.items)} rows / at ${n(first?.rowsBefore ?? NaN)} rows = ${ratio.toFixed(2)}× — target flat, < ${TARGET_HEAP_RATIO}×: ${mark(ratio < TARGET_HEAP_RATIO)}\n`);
  process.stdout.write(`  at ${LATENCY_MS} ms latency (not run) the export's ${n(sizes.items / 100 + 2)} sequential page reads alone would take ` +
    `>= ${secs((sizes.items / 100 + 2) * LATENCY_MS)}: export reads one page at a time by @odata.nextLink\n`);
}

export async function benchReviewReads(sizes: ReviewReadsSizes = REAL_SIZES): Promise<void> {
  let tenant: LocalTenant | undefined;
  let bot: IpcBotProcess | undefined;
  let teams: TeamsClient | undefined;
  try {
    tenant = await startLocalTenant();
    // LOG_LEVEL 'info': startBot waits for the 'listening' line. --expose-gc for this bot process only (heap samples).
    bot = await startBotWithIpc(HEAP_PROBE_ENTRY, tenant, { nodeFlags: ['--expose-gc'], env: { SSO_MODE: 'local', LOG_LEVEL: 'info', FILE_DELIVERY: 'local' } });
    teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
    const bench: Bench = { tenant, bot, teams };
    const definitionId = await seed(tenant, sizes.items);
    const token = await userToken(tenant, ADELE.userPrincipalName);
    await decisionsBench(bench, token, definitionId, sizes);
    await exportBench(bench, definitionId, sizes);
    const errors = bot.lines.filter((line) => line.includes('"level":50') || line.includes('"level":60'));
    process.stdout.write(`bot log: ${bot.lines.length} lines, ${errors.length} error/fatal\n`);
    for (const line of errors.slice(0, 5)) process.stdout.write(`  ${line.slice(0, 400)}\n`);
  } finally {
    await stopStack({ tenant, teams, bot });
  }
}
