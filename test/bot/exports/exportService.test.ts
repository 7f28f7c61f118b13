import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewDefinition } from '../../../bot/graph/apis';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { parseCsv } from '../../support/csvParse';
import { FILE_CONSENT_CARD } from '../../support/teamsFiles';
import { buildBot, cardOf, PEOPLE, type BotHarness, type Reply } from '../support/botHarness';

/** `export` in the bot as app.ts wires it (TestAdapter, the Graph fake with small pages): delivery, progress, expiry, failures. */
const PAGE = 2;
const ITEMS = 25;

function tenantWithRuns(): FakeTenant {
  const tenant = smallTenant();
  tenant.exportPageSize = PAGE;
  const definition = (id: string, displayName: string): ReviewDefinition => ({ id, displayName, status: 'InProgress' });
  tenant.definitions.push(definition('def-1', 'Sales guests'), definition('def-2', 'Finance members'));
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({
    principalId: [IDS.megan, IDS.alex, IDS.guestA, IDS.guestB][i % 4] ?? IDS.megan, decision: 'NotReviewed' as const,
    ...(i === 0 ? { justification: '=HYPERLINK("https://evil.example","x")' } : {}),
  }));
  tenant.runs.push({ id: 'run-1', definitionId: 'def-1', status: 'InProgress', items: items(ITEMS) });
  tenant.runs.push({ id: 'run-2', definitionId: 'def-1', status: 'Completed', items: items(3) });
  tenant.runs.push({ id: 'run-3', definitionId: 'def-2', status: 'InProgress', items: items(4) });
  return tenant;
}

let dataDir: string;
let harness: BotHarness;
const build = (delivery: 'local' | 'teams'): BotHarness => {
  dataDir = mkdtempSync(join(tmpdir(), 'export-'));
  harness = buildBot({ env: { LOCAL_DATA_DIR: dataDir, FILE_DELIVERY: delivery }, signedIn: [IDS.adele], tenant: tenantWithRuns() });
  return harness;
};
afterEach(async () => harness.close());

const files = (dir: string): string[] => (existsSync(join(dataDir, dir)) ? readdirSync(join(dataDir, dir)) : []);
const texts = (replies: Reply[]): string => replies.map((reply) => reply.text ?? '').join('\n');
const consentOf = (replies: Reply[]) => replies.flatMap((reply) => reply.attachments ?? []).find((a) => a.contentType === FILE_CONSENT_CARD);

test('locally (no Teams files) the CSV goes under <data dir>/exports, one row per decision item, the progress card updated in place', async () => {
  const bot = build('local');
  const replies = await bot.say(PEOPLE.adele, 'export all');
  expect(cardOf(replies[0])).toBeDefined();
  const [name] = files('exports');
  expect(name).toMatch(/^access-review-decisions-2025-06-02-[0-9a-f]{8}\.csv$/);
  expect(texts(replies)).toContain(join(dataDir, 'exports', name ?? ''));
  const [header, ...rows] = parseCsv(readFileSync(join(dataDir, 'exports', name ?? ''), 'utf8').slice(1));
  expect(rows).toHaveLength(ITEMS + 3 + 4);
  expect(header?.[0]).toBe('Review');
  expect(rows.filter((row) => row.includes('\'=HYPERLINK("https://evil.example","x")'))).toHaveLength(3);
  // Paged reads: 2 items a page; the card was updated while collecting, and at the end with the totals.
  expect(bot.tenant.methods().filter((m) => m === 'readDecisionsPage').length).toBe(Math.ceil(ITEMS / PAGE) + 2 + 2);
  const updates = bot.updates.map((update) => JSON.stringify(update.attachments));
  expect(updates.some((u) => u.includes('Collecting decisions'))).toBe(true);
  expect(updates.at(-1)).toContain('Decisions collected');
  expect(updates.at(-1)).toContain('32');
  expect(files('exports-pending')).toEqual([]);
});

test('with Teams files: a consent card naming the size; an answer after the hour finds nothing and the file is swept', async () => {
  const bot = build('teams');
  const replies = await bot.say(PEOPLE.adele, 'export "Sales guests"');
  const consent = consentOf(replies);
  expect(consent).toMatchObject({ name: 'Sales guests-decisions-2025-06-02.csv', content: { sizeInBytes: expect.any(Number) } });
  expect(files('exports-pending')).toHaveLength(1);
  expect(texts(replies)).toMatch(/Allow.*Decline/s);
  bot.clock.advance(61 * 60 * 1000);
  const context = (consent?.content as { acceptContext: unknown }).acceptContext;
  const late = await bot.invoke(PEOPLE.adele, 'fileConsent/invoke', { type: 'fileUpload', action: 'accept', context, uploadInfo: {} });
  expect(late.invoke?.status).toBe(200);
  expect(texts(late.replies)).toMatch(/no longer waiting/);
  expect(files('exports-pending')).toEqual([]);
});

test('an accept whose upload URL is not https (or loopback in local mode) uploads nothing and keeps nothing', async () => {
  const bot = build('teams');
  const context = (consentOf(await bot.say(PEOPLE.adele, 'export all'))?.content as { acceptContext: unknown }).acceptContext;
  const uploadInfo = { name: 'x.csv', uploadUrl: 'http://169.254.169.254/latest', contentUrl: 'https://x', uniqueId: 'U1', fileType: 'csv' };
  const answer = await bot.invoke(PEOPLE.adele, 'fileConsent/invoke', { type: 'fileUpload', action: 'accept', context, uploadInfo });
  expect(texts(answer.replies)).toMatch(/did not give me a place/);
  expect(files('exports-pending')).toEqual([]);
});

test('a Graph failure midway stops the export, says why, updates the card and keeps no file', async () => {
  const bot = build('teams');
  bot.tenant.failNext('readDecisionsPage').failNext('readDecisionsPage').failNext('readDecisionsPage');
  const replies = await bot.say(PEOPLE.adele, 'export all');
  expect(texts(replies)).toMatch(/busy/);
  expect(consentOf(replies)).toBeUndefined();
  expect(JSON.stringify(bot.updates.at(-1)?.attachments)).toContain('Export stopped');
  expect(files('exports-pending')).toEqual([]);
});
