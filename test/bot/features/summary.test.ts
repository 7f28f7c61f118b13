import { AppError } from '../../../bot/errors';
import { COUNTED_FIELDS } from '../../../bot/features/decisions';
import type { DecisionScanOptions, ExportedDecision, ReviewDefinition } from '../../../bot/graph/apis';
import { validateCard } from '../../../cards/validate';
import { IDS, smallTenant, type FakeTenant } from '../../support/fakeGraph';
import { invokeActivity } from '../../support/teamsActivities';
import {
  buildBot, buttonsOf, cardOf, cardTexts, CHANNEL, executeValue, GROUP_CHAT, invokeCard, invokeText, NOW, only, PEOPLE, ssoTokenFor, textOf, type BotHarness, type Person, type Reply,
} from '../support/botHarness';

/**
 * `summary <review>` and `summary all` (issue 12, item 1) through the real bot: the counts of the current run, the
 * reviewers still to answer, never a principal or a justification; Refresh re-reads as the presser and updates the
 * posted card in place; the channel shows only its team's reviews.
 */

const SALES = '33333333-aaaa-4aaa-8aaa-000000000001';
const FINANCE = '33333333-aaaa-4aaa-8aaa-000000000002';
const ZERO = '00000000-0000-0000-0000-000000000000';
const scopeOf = (group: string): ReviewDefinition['scope'] =>
  ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/v1.0/groups/${group}/transitiveMembers/microsoft.graph.user/?$count=true&$filter=(userType eq 'Guest')`, queryType: 'MicrosoftGraph' });
const ownersOf = (group: string): ReviewDefinition['reviewers'] => [{ query: `/v1.0/groups/${group}/owners`, queryType: 'MicrosoftGraph', queryRoot: null }];

/** Principal names and justifications: none of them may appear on a summary card. */
const SECRET_NAME = 'Principal Secret-Name';
const SECRET_WHY = 'Justification that stays private';

/**
 * 250 items: 3 approved by Megan (2 as recommended), 1 denied by the service (as recommended, applied automatically),
 * 1 "don't know" by Megan, the rest not reviewed; 1 applied, 1 failed, 1 not supported. Megan and Alex were contacted.
 */
function salesItems(): ExportedDecision[] {
  return Array.from({ length: 250 }, (_, n): ExportedDecision => {
    const decision = n < 3 ? 'Approve' : n === 3 ? 'Deny' : n === 4 ? 'DontKnow' : 'NotReviewed';
    return {
      id: `d${n}`, decision, recommendation: n === 2 ? 'Deny' : n < 4 ? (n === 3 ? 'Deny' : 'Approve') : 'NoInfoAvailable',
      applyResult: n === 0 ? 'AppliedSuccessfully' : n === 1 ? 'AppliedWithUnknownFailure' : n === 3 ? 'ApplyNotSupported' : 'New',
      reviewedBy: n < 3 || n === 4 ? { id: IDS.megan, displayName: 'Megan Bowen' } : n === 3 ? { id: ZERO, displayName: 'AAD Access Reviews' } : null,
      appliedBy: n === 0 ? { id: ZERO, displayName: 'AAD Access Reviews' } : null,
      principal: { id: `p${n}`, displayName: `${SECRET_NAME} ${n}`, userPrincipalName: `secret${n}@fabrikam.test` },
      justification: decision === 'NotReviewed' ? null : SECRET_WHY,
    };
  });
}

function tenantWithReviews(): FakeTenant {
  const tenant = smallTenant(() => NOW);
  tenant.definitions.push(
    { id: SALES, displayName: 'Sales Team guests', status: 'InProgress', scope: scopeOf(IDS.sales), reviewers: ownersOf(IDS.sales),
      settings: { recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: '2025-06-01' } } } },
    { id: FINANCE, displayName: 'Finance guests', status: 'InProgress', scope: scopeOf(IDS.finance), reviewers: [{ query: `/v1.0/users/${IDS.adele}`, queryType: 'MicrosoftGraph' }], settings: {} },
  );
  tenant.runs.push(
    { definitionId: SALES, id: 'sales-now', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-15T08:00:00Z', items: [] },
    { definitionId: SALES, id: 'sales-before', status: 'Applied', startDateTime: '2025-03-01T08:00:00Z', endDateTime: '2025-03-15T08:00:00Z', items: [] },
    { definitionId: FINANCE, id: 'finance-now', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-04T08:00:00Z',
      items: [{ principalId: IDS.guestA, decision: 'Approve' }, { principalId: IDS.alex, decision: 'NotReviewed' }] },
  );
  tenant.decisionItems.set('sales-now', salesItems());
  tenant.contacted.set('sales-now', [{ id: IDS.megan, displayName: 'Megan Bowen' }, { id: IDS.alex, displayName: 'Alex Wilber' }]);
  tenant.contacted.set('finance-now', [{ id: IDS.adele, displayName: 'Adele Vance' }]);
  return tenant;
}

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});
/** The value after a label (label/value rows), or a tile's label after its number. */
const after = (texts: string[], label: string): string | undefined => texts[texts.indexOf(label) + 1];
const tiles = (texts: string[]): string[] => ['Approved', 'Denied', "Don't know", 'Not reviewed'].map((label) => `${label} ${texts[texts.indexOf(label) - 1] ?? '?'}`);

/** A Refresh (or other) press on the card posted as `activityId`, as Teams sends it: the invoke replies to that message. */
async function pressOn(user: Person, activityId: string, data: Record<string, unknown>, scope = CHANNEL): Promise<{ card: ReturnType<typeof invokeCard>; text: string; replies: Reply[] }> {
  const { invoke, replies } = await bot.turn(invokeActivity(bot.wire, user, 'adaptiveCard/action', executeValue(String(data.verb), data), scope, activityId));
  const body = invoke?.body as Parameters<typeof invokeCard>[0];
  return { card: invokeCard(body), text: invokeText(body), replies };
}

test('in the Sales Team channel: the run\'s exact counts, who is still to answer, and no principal or justification', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'summary "Sales Team guests"', CHANNEL)));
  expect(validateCard(card ?? {})).toEqual([]);
  const texts = cardTexts(card);
  expect(texts[0]).toBe('Sales Team guests');
  expect(after(texts, 'What')).toBe('Guests of Sales Team');
  expect(after(texts, 'Reviewers')).toBe('Group owners');
  expect(after(texts, 'Status')).toBe('In progress');
  expect(after(texts, 'Run')).toBe('Sunday 1 June 2025 to Sunday 15 June 2025');
  expect(after(texts, 'Time left')).toBe('12 days left');
  expect(texts).toContain('5 of 250 reviewed (2%)');
  expect(tiles(texts)).toEqual(['Approved 3', 'Denied 1', "Don't know 1", 'Not reviewed 245']);
  expect(after(texts, 'Follow the recommendation')).toBe('3 of 4 decisions with a recommendation');
  expect(after(texts, 'Applied results')).toBe('Applied 1 · Failed 1 · Not supported 1');
  expect(after(texts, 'Done automatically by Microsoft Entra')).toBe('1 decided, 1 applied');
  expect(texts).toContain('Waiting on Alex Wilber');
  expect(texts.at(-1)).toBe('Updated Monday 2 June 2025 at 09:00 UTC. Counts only: who decided what stays in personal chat.');
  // The bar: 2% reviewed, 98% to go.
  const bar = (card?.body as Array<Record<string, unknown>>).flatMap((node) => (node.items as Array<Record<string, unknown>> | undefined) ?? [])
    .find((node) => node.type === 'ColumnSet' && (node.columns as Array<Record<string, unknown>>).every((column) => (column.items as unknown[]).length === 0));
  expect((bar?.columns as Array<Record<string, unknown>>).map((column) => [column.width, column.style])).toEqual([[2, 'good'], [98, 'emphasis']]);
  const json = JSON.stringify(card);
  for (const secret of [SECRET_NAME, SECRET_WHY, 'fabrikam', 'p17']) expect(json).not.toContain(secret);
  // A shared room: Refresh only (per-person decisions stay in personal chat).
  expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Refresh', { verb: 'reviews.summary', args: SALES }]]);
  // The counting scan reads the counted fields only (never the principal or the justification), with a ceiling.
  const scan = bot.tenant.calls.find((c) => c.method === 'scanDecisions');
  expect(scan?.args.slice(0, 2)).toEqual([SALES, 'sales-now']);
  const options = scan?.args[2] as DecisionScanOptions;
  expect(options.select).toEqual(COUNTED_FIELDS);
  expect(options.select).not.toContain('principal');
  expect(options.select).not.toContain('justification');
  expect(options.maxItems).toBe(200_000);
  expect(new Set(bot.tenant.calls.map((c) => c.as))).toEqual(new Set([IDS.megan]));
});

test('Refresh after a decision: the presser\'s new counts, and the posted card updated in place (same activity id)', async () => {
  bot = buildBot({ signedIn: [IDS.megan, IDS.alex], tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, `summary ${SALES}`, CHANNEL)));
  const refresh = buttonsOf(card).find((b) => b.title === 'Refresh');
  // Alex decides one item; then he presses Refresh on the posted card.
  const items = bot.tenant.decisionItems.get('sales-now') ?? [];
  items[10] = { ...items[10], id: 'd10', decision: 'Deny', recommendation: 'NoInfoAvailable', reviewedBy: { id: IDS.alex, displayName: 'Alex Wilber' } };
  bot.tenant.calls.length = 0;
  const pressed = await pressOn(PEOPLE.alex, 'posted-summary-1', refresh?.data ?? {});
  const texts = cardTexts(pressed.card);
  expect(texts).toContain('6 of 250 reviewed (2%)');
  expect(tiles(texts)).toEqual(['Approved 3', 'Denied 2', "Don't know 1", 'Not reviewed 244']);
  // Everyone who was contacted has answered something now.
  expect(texts.filter((t) => t.startsWith('Waiting on'))).toEqual([]);
  expect(new Set(bot.tenant.calls.map((c) => c.as))).toEqual(new Set([IDS.alex]));
  expect(bot.updates).toHaveLength(1);
  expect(bot.updates[0]?.id).toBe('posted-summary-1');
  expect(cardOf(bot.updates[0])).toEqual(pressed.card);
  expect(pressed.replies).toEqual([]);
});

test('in a channel without sign-in: "Continue as me" signs the presser in, and the summary replaces that card for everyone', async () => {
  bot = buildBot({ env: { SSO_MODE: 'teams' }, tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'summary "Sales Team guests"', CHANNEL)));
  const [button] = buttonsOf(card);
  expect(button?.title).toBe('Continue as me');
  expect(bot.tenant.calls).toEqual([]);
  const authentication = { id: 'exchange-1', connectionName: bot.config.sso.connectionName, token: ssoTokenFor(IDS.megan) };
  const { invoke } = await bot.turn(invokeActivity(bot.wire, PEOPLE.megan, 'adaptiveCard/action', executeValue(button?.verb ?? '', button?.data, authentication), CHANNEL, 'sign-in-card'));
  const summary = invokeCard(invoke?.body as Parameters<typeof invokeCard>[0]);
  expect(cardTexts(summary)).toContain('5 of 250 reviewed (2%)');
  expect(bot.tokens.exchanged).toEqual([IDS.megan]);
  expect(bot.updates.map((update) => [update.id, cardOf(update)])).toEqual([['sign-in-card', summary]]);
});

test('Refresh refused for the presser (the review is gone): said to the presser only, the posted card left as it was', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenantWithReviews() });
  bot.tenant.failNext('instancesPage', new AppError('NotFound', 'gone', { status: 404 }));
  const pressed = await pressOn(PEOPLE.megan, 'posted-summary-2', { verb: 'reviews.summary', args: SALES });
  // An invoke's message shows as typed: the code span becomes quotes.
  expect(pressed.text).toBe('The review "Sales Team guests" (or its run) no longer exists (it may have just been deleted). Nothing changed.');
  expect(bot.updates).toEqual([]);
});

test('a press by someone not signed in starts Universal Actions sign-in, and changes nothing', async () => {
  bot = buildBot({ env: { SSO_MODE: 'teams' }, tenant: tenantWithReviews() });
  const { invoke } = await bot.turn(invokeActivity(bot.wire, PEOPLE.alex, 'adaptiveCard/action', executeValue('reviews.summary', { verb: 'reviews.summary', args: SALES }), CHANNEL, 'posted'));
  expect(invoke?.status).toBe(401);
  expect(bot.tenant.calls).toEqual([]);
  expect(bot.updates).toEqual([]);
});

test('in personal chat: the card is the asker\'s alone, with a Decisions button; a group chat is told where it works', async () => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithReviews() });
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'summary finance')));
  expect(validateCard(card ?? {})).toEqual([]);
  const texts = cardTexts(card);
  expect(texts).toContain('1 of 2 reviewed (50%)');
  expect(after(texts, 'Time left')).toBe('1 day left');
  expect(after(texts, 'Reviewers')).toBe('1 named person');
  expect(texts).toContain('Waiting on Adele Vance');
  expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Refresh', { verb: 'reviews.summary', args: FINANCE }],
    ['Decisions', { verb: 'reviews.decisions', args: FINANCE, open: 'below' }]]);
  expect(textOf(await bot.say(PEOPLE.adele, 'summary finance', GROUP_CHAT))).toBe('`summary` works only in personal chat with me or team channels.');
});

test('in a channel, another group\'s review is refused; typos, extra words and a missing review are answered plainly', async () => {
  bot = buildBot({ signedIn: [IDS.megan, IDS.adele], tenant: tenantWithReviews() });
  expect(textOf(await bot.say(PEOPLE.megan, `summary ${FINANCE}`, CHANNEL)))
    .toBe("This channel is shared with the whole team, so here I only show and act on the reviews of the team's own group. Send `summary` and the review's name to me in personal chat.");
  expect(bot.tenant.methods()).not.toContain('scanDecisions');
  expect(textOf(await bot.say(PEOPLE.adele, '"Sales Team guests" now', CHANNEL))).toMatch(/^I didn't understand/);
  expect(textOf(await bot.say(PEOPLE.adele, 'summary "Sales Team guests" now'))).toBe(
    "I didn't understand `now` after the review. Type `summary <review>` (its name, in quotes if it has spaces, or its id) or `summary all`.");
  expect(textOf(await bot.say(PEOPLE.adele, 'summary'))).toBe('Which review? Type `summary <review>` (its name, in quotes if it has spaces, or its id). Type `reviews` to see them.');
  expect(textOf(await bot.say(PEOPLE.adele, 'summary nothing like it'))).toMatch(/^No access review you can read is called `nothing like it`\./);
});

test('several matches: a choice card whose buttons replay summary with the id', async () => {
  const tenant = tenantWithReviews();
  tenant.definitions.push({ ...tenant.definitions[0], id: 'other', displayName: 'Sales Team members' });
  bot = buildBot({ signedIn: [IDS.adele], tenant });
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'summary sales')));
  expect(buttonsOf(card).map((b) => b.data)).toEqual([{ verb: 'reviews.summary', args: SALES }, { verb: 'reviews.summary', args: 'other' }]);
});

test('a review with no run yet says so; a finished run is "Finished" and waits on nobody', async () => {
  const tenant = tenantWithReviews();
  tenant.runs.splice(0, tenant.runs.length, { definitionId: FINANCE, id: 'finance-old', status: 'Completed', startDateTime: '2025-05-01T08:00:00Z',
    endDateTime: '2025-05-15T08:00:00Z', items: [{ principalId: IDS.alex, decision: 'NotReviewed' }] });
  tenant.contacted.set('finance-old', [{ id: IDS.adele, displayName: 'Adele Vance' }]);
  bot = buildBot({ signedIn: [IDS.adele], tenant });
  const none = cardTexts(cardOf(only(await bot.say(PEOPLE.adele, `summary ${SALES}`))));
  expect(none).toContain('No run has started yet: nothing to count.');
  expect(none.some((t) => t.includes('reviewed'))).toBe(false);
  const finished = cardTexts(cardOf(only(await bot.say(PEOPLE.adele, `summary ${FINANCE}`))));
  expect(after(finished, 'Status')).toBe('Completed');
  expect(after(finished, 'Time left')).toBe('Finished');
  expect(finished.filter((t) => t.startsWith('Waiting on'))).toEqual([]);
  expect(bot.tenant.methods()).not.toContain('contactedReviewers');
});

describe('summary all', () => {
  function manyReviews(): FakeTenant {
    const tenant = tenantWithReviews();
    // 12 more active reviews of Finance, ending on days 20 down to 9 of June; one not started; one completed (not listed).
    for (let n = 0; n < 12; n += 1) {
      const id = `more-${n}`;
      tenant.definitions.push({ id, displayName: `Finance review ${n}`, status: 'InProgress', scope: scopeOf(IDS.finance), reviewers: ownersOf(IDS.finance), settings: {} });
      tenant.runs.push({ definitionId: id, id: `${id}-run`, status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: `2025-06-${String(20 - n).padStart(2, '0')}T08:00:00Z`, items: [] });
    }
    tenant.definitions.push({ id: 'later', displayName: 'Later', status: 'NotStarted', scope: scopeOf(IDS.sales), reviewers: ownersOf(IDS.sales), settings: {} });
    tenant.definitions.push({ id: 'done', displayName: 'Done', status: 'Completed', scope: scopeOf(IDS.sales), reviewers: ownersOf(IDS.sales), settings: {} });
    return tenant;
  }
  const rowNames = (card: ReturnType<typeof cardOf>): string[] => cardTexts(card).filter((_, i, all) => all[i + 1]?.includes(' · ') === true && i > 1);

  test('personal chat: every active review, running ones ending soonest first, 10 counted, then "and N more"', async () => {
    bot = buildBot({ signedIn: [IDS.adele], tenant: manyReviews() });
    const card = cardOf(only(await bot.say(PEOPLE.adele, 'summary all')));
    expect(validateCard(card ?? {})).toEqual([]);
    const texts = cardTexts(card);
    // The whole first: every run in progress counted (the 14 running; "Later" has no run).
    expect(texts.slice(0, 3)).toEqual(['Active access reviews', 'Ending soonest first', 'Across the 14 reviews in progress: 6 of 252 reviewed (2%)']);
    // Sales Team guests ends with Finance review 5 (15 June, 08:00): the tie goes by name.
    expect(rowNames(card)).toEqual(['Finance guests', ...[11, 10, 9, 8, 7, 6, 5].map((n) => `Finance review ${n}`), 'Sales Team guests', 'Finance review 4']);
    expect(after(texts, 'Finance guests')).toBe('Guests of Finance · In progress · ends Wednesday 4 June 2025 · 1 day left');
    expect(texts[texts.indexOf('Finance guests') + 2]).toBe('1 of 2 reviewed (50%)');
    expect(texts[texts.indexOf('Sales Team guests') + 2]).toBe('5 of 250 reviewed (2%)');
    expect(texts).toContain('…and 5 more active reviews.');
    // Counting reads two fields an item, for every run (shown or not), in one scan whose pages share batches.
    const scans = bot.tenant.calls.filter((c) => c.method === 'scanInstances' || c.method === 'scanDecisions');
    expect(scans.map((c) => c.method)).toEqual(['scanInstances']);
    expect((scans[0]?.args[0] as unknown[]).length).toBe(14);
    expect((scans[0]?.args[1] as DecisionScanOptions).select).toEqual(['id', 'decision']);
    // Each row opens its summary below; Refresh replays the digest.
    expect(buttonsOf(card).filter((b) => b.title === 'Summary')).toHaveLength(10);
    expect(buttonsOf(card).at(-1)?.data).toEqual({ verb: 'reviews.summary', args: 'all' });
  });

  test('more active reviews than one digest reads: the whole counts the 500 read, and says more may follow', async () => {
    const tenant = tenantWithReviews();
    for (let n = 0; n < 510; n += 1) {
      const id = `bulk-${n}`;
      tenant.definitions.push({ id, displayName: `Bulk ${n}`, status: 'InProgress', scope: scopeOf(IDS.finance), reviewers: ownersOf(IDS.finance), settings: {} });
      tenant.runs.push({ definitionId: id, id: `${id}-run`, status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-30T08:00:00Z', items: [] });
    }
    bot = buildBot({ signedIn: [IDS.adele], tenant });
    const texts = cardTexts(cardOf(only(await bot.say(PEOPLE.adele, 'summary all'))));
    expect(texts[2]).toMatch(/^Across the 500 reviews in progress: \d+ of \d+ reviewed/);
    expect(texts).toContain('…and 490 more active reviews (perhaps more: I read the first 500 reviews).');
    const scan = bot.tenant.calls.find((c) => c.method === 'scanInstances');
    expect((scan?.args[0] as unknown[]).length).toBe(500);
    // Runs are read 20 definitions to a request: 25 requests.
    expect(bot.tenant.calls.filter((c) => c.method === 'instancesOf').map((c) => (c.args[0] as unknown[]).length)).toEqual([...Array(25).fill(20)]);
  });

  test('in the channel: only the team group\'s active reviews; a row\'s Summary posts its card below and leaves the digest', async () => {
    bot = buildBot({ signedIn: [IDS.megan], tenant: manyReviews() });
    const card = cardOf(only(await bot.say(PEOPLE.megan, 'summary all', CHANNEL)));
    expect(cardTexts(card)[0]).toBe("Active access reviews of this team's group");
    expect(rowNames(card)).toEqual(['Sales Team guests', 'Later']);
    expect(after(cardTexts(card), 'Later')).toBe('Guests of Sales Team · No run yet');
    expect(bot.tenant.calls.find((c) => c.method === 'listDefinitions')?.args).toEqual(['active', 500, IDS.sales]);
    const row = buttonsOf(card).find((b) => b.title === 'Summary');
    const pressed = await pressOn(PEOPLE.megan, 'posted-digest', row?.data ?? {});
    expect(pressed.text).toBe('Opened below.');
    expect(cardTexts(cardOf(only(pressed.replies)))).toContain('5 of 250 reviewed (2%)');
    expect(bot.updates).toEqual([]);
  });

  test('none active: said plainly; a review deleted while counting is left out', async () => {
    bot = buildBot({ signedIn: [IDS.adele], tenant: tenantWithReviews() });
    bot.tenant.vanishing.add('finance-now');
    const texts = cardTexts(cardOf(only(await bot.say(PEOPLE.adele, 'summary ALL'))));
    expect(texts).toContain('Sales Team guests');
    expect(texts).not.toContain('Finance guests');
    bot.tenant.definitions.splice(0, bot.tenant.definitions.length);
    expect(cardTexts(cardOf(only(await bot.say(PEOPLE.adele, 'summary all'))))).toContain('No active access review that you can read.');
  });
});
