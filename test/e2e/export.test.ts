import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { USER } from '../../dev/tenant/tenant';
import { SEEDED_REVIEWS } from '../../dev/tenant/seed';
import { parseCsv } from '../support/csvParse';
import { graph, graphItems, REVIEWS, userToken } from '../support/localTenant';
import { useLocalStack } from '../support/localStack';
import { adaptiveCardsOf, attachmentsOf, consentCardOf, FILE_INFO_CARD, USERS, type SentActivity } from '../support/teamsClient';

/**
 * `export` end to end: the real bot (Teams file delivery) against the local tenant, through the simulated Teams
 * client, which plays Teams' file flow (consent card → fileConsent/invoke → upload session → file card).
 */
const stack = useLocalStack({ env: { SSO_MODE: 'local', FILE_DELIVERY: 'teams' } });
const HYPERLINK = '=HYPERLINK("https://evil.example/steal","Click for details")';
const TIMEOUT = 30_000;

interface Item { id: string; principal: { id: string } }

/** Every decision item the emulator holds, as Adele (Identity Governance Administrator) reads them: instance|principal. */
async function emulatorItems(): Promise<string[]> {
  const token = await userToken(stack.tenant, USER.adele);
  const keys: string[] = [];
  for (const definition of await graphItems<{ id: string }>(stack.tenant, token, REVIEWS)) {
    for (const instance of await graphItems<{ id: string }>(stack.tenant, token, `${REVIEWS}/${definition.id}/instances`)) {
      const items = await graphItems<Item>(stack.tenant, token, `${REVIEWS}/${definition.id}/instances/${instance.id}/decisions`);
      keys.push(...items.map((item) => `${instance.id}|${item.principal.id}`));
    }
  }
  return keys.sort();
}

const pendingFiles = (): string[] => {
  const dir = join(stack.bot.dataDir, 'exports-pending');
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function consentCard(): Promise<SentActivity> {
  return stack.teams.waitForSent((sent) => consentCardOf(sent.activity) !== undefined, TIMEOUT);
}

beforeAll(async () => {
  // Megan, the Sales Team owner, denies a guest with a justification a spreadsheet would run as a formula.
  const megan = await userToken(stack.tenant, USER.megan);
  const adele = await userToken(stack.tenant, USER.adele);
  const definition = (await graphItems<{ id: string; displayName: string }>(stack.tenant, adele, REVIEWS)).find((d) => d.displayName === SEEDED_REVIEWS.salesGuests);
  const [instance] = await graphItems<{ id: string }>(stack.tenant, adele, `${REVIEWS}/${definition?.id ?? ''}/instances`);
  const path = `${REVIEWS}/${definition?.id ?? ''}/instances/${instance?.id ?? ''}/decisions`;
  const ramesh = (await graphItems<Item>(stack.tenant, adele, path)).find((item) => item.principal.id === USER.ramesh);
  const patched = await graph(stack.tenant, megan, 'PATCH', `${path}/${ramesh?.id ?? ''}`, { decision: 'Deny', justification: HYPERLINK });
  expect(patched.status).toBe(204);
}, TIMEOUT);

test('export all → consent card; Allow → chunked upload and a file card; one row per decision item the emulator holds; formulas neutralised', async () => {
  const expected = await emulatorItems();
  expect(expected.length).toBeGreaterThan(10);
  await stack.teams.message(USERS.adele, 'export all');
  const card = await consentCard();
  const consent = consentCardOf(card.activity);
  expect(consent).toMatchObject({ name: expect.stringMatching(/\.csv$/), acceptContext: { exportId: expect.any(String), revision: 1 } });
  // The progress card was sent, then updated in place with the final numbers.
  const progress = stack.teams.sent.find((sent) => JSON.stringify(adaptiveCardsOf(sent)).includes('Collecting decisions'));
  const done = await stack.teams.waitForUpdate((update) => update.id === progress?.id && JSON.stringify(adaptiveCardsOf(update)).includes('Decisions collected'));
  expect(JSON.stringify(adaptiveCardsOf(done))).toContain(expected.length.toLocaleString('en-US'));
  expect(pendingFiles()).toHaveLength(1);

  const answer = await stack.teams.answerFileConsent(USERS.adele, card, 'accept');
  expect(answer.status).toBe(200);
  const info = await stack.teams.waitForSent((sent) => attachmentsOf(sent).some((a) => a.contentType === FILE_INFO_CARD), TIMEOUT);
  const session = stack.teams.files.sessions.at(-1);
  expect(session?.complete).toBe(true);
  expect(session?.sawAuthorization).toBe(false);
  expect(attachmentsOf(info).find((a) => a.contentType === FILE_INFO_CARD)).toMatchObject({
    name: session?.name, contentUrl: session?.contentUrl, content: { uniqueId: session?.uniqueId, fileType: 'csv' },
  });
  expect(consent?.sizeInBytes).toBe(session === undefined ? -1 : stack.teams.files.bytesOf(session).length);

  const text = stack.teams.files.bytesOf(session ?? (() => { throw new Error('no upload'); })()).toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  expect(header).toContain('Justification');
  const column = (name: string): number => header?.indexOf(name) ?? -1;
  expect(rows.map((row) => `${row[column('Instance id')]}|${row[column('Principal id')]}`).sort()).toEqual(expected);
  const denied = rows.find((row) => row[column('Principal id')] === USER.ramesh && row[column('Decision')] === 'Deny');
  expect(denied?.[column('Justification')]).toBe(`'${HYPERLINK}`);
  expect(denied?.[column('Reviewer')]).toBe('Megan Bowen');
  for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  // The file card came after the upload (the invoke is answered first: Teams gives up on a slow one), without failures.
  expect(stack.bot.lines.filter((line) => /export upload failed|could not finish an export/.test(line))).toEqual([]);
  // Nothing is kept once uploaded; a second Allow on the same card finds nothing to upload.
  expect(pendingFiles()).toEqual([]);
  stack.teams.clear();
  await stack.teams.answerFileConsent(USERS.adele, card, 'accept');
  expect(stack.teams.textOf(await stack.teams.waitForSent(() => true))).toMatch(/already saved or declined/);
}, 60_000);

test('Decline says so and keeps nothing; only the requester, in that chat, may answer', async () => {
  await stack.teams.message(USERS.adele, `export "${SEEDED_REVIEWS.salesGuests}", "${SEEDED_REVIEWS.financeAnnual}"`);
  const card = await consentCard();
  expect(pendingFiles()).toHaveLength(1);
  // Lee (another administrator) answers Adele's card: refused, the file stays for Adele.
  await stack.teams.answerFileConsent(USERS.lee, card, 'accept');
  expect(stack.teams.textOf(await stack.teams.waitForSent((sent) => /only they can/.test(stack.teams.textOf(sent)), TIMEOUT))).toContain('Adele');
  await stack.teams.answerFileConsent(USERS.lee, card, 'decline');
  expect(pendingFiles()).toHaveLength(1);
  // Adele herself, but from another conversation (the card's context replayed in a group chat): refused too.
  stack.teams.clear();
  const context = consentCardOf(card.activity)?.acceptContext;
  await stack.teams.invoke(USERS.adele, 'fileConsent/invoke', { type: 'fileUpload', action: 'decline', context }, { kind: 'groupChat', mention: false });
  expect(stack.teams.textOf(await stack.teams.waitForSent(() => true, TIMEOUT))).toMatch(/only they can/);
  expect(pendingFiles()).toHaveLength(1);
  expect(stack.teams.files.sessions.filter((s) => s.received.length > 0 && !s.complete)).toEqual([]);

  const uploadsBefore = stack.teams.files.sessions.filter((s) => s.received.length > 0).length;
  const answer = await stack.teams.answerFileConsent(USERS.adele, card, 'decline');
  expect(answer.status).toBe(200);
  await stack.teams.waitForSent((sent) => /Declined/.test(stack.teams.textOf(sent)), TIMEOUT);
  expect(pendingFiles()).toEqual([]);
  expect(stack.teams.files.sessions.filter((s) => s.received.length > 0).length).toBe(uploadsBefore);
}, 60_000);

test('export in a group chat points to personal chat; a typo exports nothing and names the closest review', async () => {
  await stack.teams.message(USERS.adele, 'export all', { kind: 'groupChat' });
  expect(stack.teams.textOf(await stack.teams.waitForSent(() => true, TIMEOUT))).toMatch(/personal chat/i);
  stack.teams.clear();
  await stack.teams.message(USERS.adele, 'export Sales Team guest reveiw');
  expect(stack.teams.textOf(await stack.teams.waitForSent(() => true, TIMEOUT))).toMatch(/exported nothing.*Sales Team guest review/);
  expect(pendingFiles()).toEqual([]);
}, 60_000);
