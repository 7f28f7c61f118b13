import { BOT_APP_ID, TENANT_ID } from '../dev/tenant/tenant';
import { startBot, type BotProcess } from '../test/support/botProcess';
import { control, graph, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { TeamsClient, USERS, type SentActivity } from '../test/support/teamsClient';
import { stopStack } from './measure';

/** Issue targets for quick create: Graph requests per create on a 10,000-member group (≤ 7 with the existing-review check, no member paging), latency at 50 ms. */
const MEMBERS = 10_000;
const RUNS = 10;
const LATENCY_MS = 50;
const ADELE = USERS.adele;
type Kind = 'members' | 'guests';

interface Stats { requests: number; byRoute: Record<string, number> }
interface Phase { ms: number; stats: Stats }
interface CreateRun { confirm: Phase; create: Phase; settleMs: number }
interface Bench { tenant: LocalTenant; teams: TeamsClient; token: string }

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const routes = (stats: Stats): string => Object.entries(stats.byRoute).map(([route, n]) => `${route} ×${n}`).join(', ') || 'none';
/** A list of the group's members (anything under /members or /transitiveMembers that is not a `$count`). */
const pagedRoutes = (stats: Stats): string[] =>
  Object.keys(stats.byRoute).filter((route) => /\/(transitiveMembers|members)(\/|$)/i.test(route) && !route.endsWith('/$count'));

async function ok(tenant: LocalTenant, method: string, path: string, body?: unknown): Promise<void> {
  const answer = await control(tenant, method, path, body);
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} /_emulator${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

async function stats(tenant: LocalTenant): Promise<Stats> {
  const answer = await control(tenant, 'GET', '/stats');
  return { requests: Number(answer.body.requests), byRoute: answer.body.byRoute as Record<string, number> };
}

/** One quick create as Adele: message → confirmation card (timed, counted), then Create → its answer (timed, counted). */
async function quickCreate({ tenant, teams, token }: Bench, group: string, kind: Kind): Promise<CreateRun> {
  teams.clear();
  await ok(tenant, 'POST', '/stats/reset');
  const sentAt = performance.now();
  const delivered = teams.message(ADELE, `review "${group}" ${kind} quarterly by owners`);
  const card = await teams.waitFor(() => teams.sent.find((s: SentActivity) => JSON.stringify(s.activity).includes('review.create')), 30_000);
  const confirmMs = performance.now() - sentAt;
  const delivery = await delivered; // the turn has ended: every Graph request of this phase is counted
  if (delivery.status !== 200) throw new Error(`quick create message: ${delivery.status}`);
  const confirmStats = await stats(tenant);
  const confirmationId = /"confirmationId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.activity))?.[1];
  if (confirmationId === undefined) throw new Error(`no confirmationId on the card: ${JSON.stringify(card.activity).slice(0, 400)}`);
  // The card's revision: Create on any other one is refused as out of date (issue 7).
  const revision = Number(/"revision":(\d+)/.exec(JSON.stringify(card.activity))?.[1]);
  await ok(tenant, 'POST', '/stats/reset');
  const pressedAt = performance.now();
  const answer = await teams.cardAction(ADELE, card.id, 'review.create', { confirmationId, revision });
  const createMs = performance.now() - pressedAt;
  const createStats = await stats(tenant);
  const text = JSON.stringify(answer.body);
  if (answer.status !== 200 || !text.includes('application/vnd.microsoft.card.adaptive') || !text.includes('Access review created')) {
    throw new Error(`Create did not answer with the created card: ${answer.status} ${text.slice(0, 400)}`);
  }
  // The emulator starts the new review (one decision item per member) on the next Graph request of anyone:
  // made here, so that work does not land in the next run's confirmation.
  const settledAt = performance.now();
  await graph(tenant, token, 'GET', '/me?$select=id');
  return { confirm: { ms: confirmMs, stats: confirmStats }, create: { ms: createMs, stats: createStats }, settleMs: performance.now() - settledAt };
}

function requestsReport(kind: Kind, run: CreateRun): void {
  const total = run.confirm.stats.requests + run.create.stats.requests;
  const paged = [...pagedRoutes(run.confirm.stats), ...pagedRoutes(run.create.stats)];
  process.stdout.write(`quick create, ${kind} review of the ${MEMBERS.toLocaleString('en-US')}-member group (signed in, emulator latency 0): ` +
    `${total} Graph requests (target <= 7) — ${run.confirm.stats.requests} to the confirmation card, ${run.create.stats.requests} for Create; ` +
    `${ms(run.confirm.ms)} to the card, ${ms(run.create.ms)} to the created card ` +
    `(then the emulator's start of that review on the next request, not the bot's: ${ms(run.settleMs)})\n`);
  process.stdout.write(`  confirmation: ${routes(run.confirm.stats)}\n  create: ${routes(run.create.stats)}\n`);
  process.stdout.write(`  members paged: ${paged.length === 0 ? 'no (counts only, $count with ConsistencyLevel: eventual)' : `YES — ${paged.join(', ')}`}\n`);
}

/** `count` quick creates of `kind` at the current emulator latency. */
async function latencyRuns(bench: Bench, group: string, kind: Kind, count = RUNS): Promise<CreateRun[]> {
  const runs: CreateRun[] = [];
  for (let i = 0; i < count; i += 1) runs.push(await quickCreate(bench, group, kind));
  return runs;
}

const requestsPer = (phases: readonly Phase[]): number[] => [...new Set(phases.map((phase) => phase.stats.requests))].sort((a, b) => a - b);

function latencyReport(kind: Kind, base: readonly CreateRun[], slow: readonly CreateRun[]): void {
  const line = (label: string, pick: (run: CreateRun) => Phase): void => {
    const baseMs = base.map((run) => pick(run).ms);
    const slowMs = slow.map((run) => pick(run).ms);
    const requests = requestsPer(slow.map(pick));
    const rounds = (percentile(slowMs, 50) - percentile(baseMs, 50)) / LATENCY_MS;
    const most = Math.max(...requests);
    const overlap = rounds < most - 0.5 ? 'fewer round trips than requests: some run in parallel' : 'about one round trip per request: sequential';
    process.stdout.write(`  ${label}: p50 ${ms(percentile(slowMs, 50))}, max ${ms(Math.max(...slowMs))} at ${LATENCY_MS} ms ` +
      `(at 0 ms: p50 ${ms(percentile(baseMs, 50))}, max ${ms(Math.max(...baseMs))}); ${requests.join('/')} Graph request(s) per run; ` +
      `p50 difference ≈ ${rounds.toFixed(1)} × ${LATENCY_MS} ms round trips (${overlap})\n`);
  };
  process.stdout.write(`quick create latency, ${kind} review of the ${MEMBERS.toLocaleString('en-US')}-member group, ${RUNS} runs each at emulator latency 0 and ${LATENCY_MS} ms:\n`);
  line('message → confirmation card', (run) => run.confirm);
  line('Create → created card', (run) => run.create);
}

export async function benchCreateReview(): Promise<void> {
  let tenant: LocalTenant | undefined;
  let bot: BotProcess | undefined;
  let teams: TeamsClient | undefined;
  try {
    tenant = await startLocalTenant();
    // LOG_LEVEL 'info': startBot waits for the bot's 'listening' line, which is logged at info.
    bot = await startBot(tenant, { env: { SSO_MODE: 'local', LOG_LEVEL: 'info' } });
    teams = await TeamsClient.start({ botUrl: bot.messagesUrl, tenantId: TENANT_ID, botId: BOT_APP_ID });
    await ok(tenant, 'PUT', '/faults', {});
    const seeded = await control(tenant, 'POST', '/seed', { groups: 1, membersPerGroup: MEMBERS });
    const groupId = (seeded.body as { groups?: string[] }).groups?.[0];
    if (seeded.status !== 200 || groupId === undefined) throw new Error(`seed failed: ${seeded.status} ${JSON.stringify(seeded.body)}`);
    const token = await userToken(tenant, ADELE.userPrincipalName);
    const bench: Bench = { tenant, teams, token };
    const group = await graph(tenant, token, 'GET', `/groups/${groupId}?$select=id,displayName`);
    const name = String((group.body as { displayName?: unknown }).displayName);
    const members = await graph(tenant, token, 'GET', `/groups/${groupId}/transitiveMembers/microsoft.graph.user/$count`, undefined, { ConsistencyLevel: 'eventual' });
    process.stdout.write(`seeded group "${name}" (${String(members.body)} users by $count)\n`);

    await quickCreate(bench, 'Finance Apps', 'members'); // warm-up: signs Adele in (SSO_MODE=local), loads every code path once
    const byKind: Array<{ kind: Kind; runs: CreateRun[] }> = [];
    for (const kind of ['members', 'guests'] as const) {
      const run = await quickCreate(bench, name, kind);
      requestsReport(kind, run);
      byKind.push({ kind, runs: [run, ...(await latencyRuns(bench, name, kind, RUNS - 1))] }); // the 0 ms baseline
    }
    await ok(tenant, 'PUT', '/faults', { latencyMs: LATENCY_MS });
    for (const { kind, runs } of byKind) latencyReport(kind, runs, await latencyRuns(bench, name, kind));
    process.stdout.write('  (bot/creation/confirmation.ts readCounts sends its $count requests with Promise.all; the group search comes before them)\n');

    const botLines = bot.lines;
    const errors = botLines.filter((line) => line.includes('"level":50') || line.includes('"level":60'));
    const warnings = botLines.filter((line) => line.includes('"level":40'));
    process.stdout.write(`bot log (warm-up and every create): ${botLines.length} lines, ${errors.length} error/fatal, ${warnings.length} warning\n`);
    for (const line of [...errors, ...warnings].slice(0, 5)) process.stdout.write(`  ${line.slice(0, 400)}\n`);
  } finally {
    await stopStack({ tenant, teams, bot });
  }
}
