import type { ReviewDefinition } from '../../../bot/graph/apis';
import { AppError } from '../../../bot/errors';
import { PendingChoices } from '../../../bot/reviewing/pendingChoices';
import { renderDecideCard } from '../../../cards/decide';
import { validateCard, MAX_CARD_BYTES } from '../../../cards/validate';
import { IDS, smallTenant, type FakeItem, type FakeTenant } from '../../support/fakeGraph';
import { invokeActivity } from '../../support/teamsActivities';
import {
  buildBot, buttonsOf, cardOf, cardTexts, executeValue, invokeCard, invokeText, NOW, only, PEOPLE, PERSONAL, textOf, type BotHarness, type Person,
} from '../support/botHarness';

/**
 * Reviewers decide in chat (issue 13): `my reviews`, the decision card, choices kept as pending (in the bot's store)
 * by every press, Submit once, and a card pressed by anyone but its reviewer changing nothing.
 */

const SALES = '44444444-aaaa-4aaa-8aaa-000000000001';
const DAY = 86_400_000;
const scope = { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/v1.0/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' };
const signIn = (daysAgo: number): string => new Date(NOW - daysAgo * DAY).toISOString();

/** 23 items Megan reviews (guest A recommended for denial, guest B for approval, 21 members), and one Alex reviews. */
function tenant(settings: ReviewDefinition['settings'] = { justificationRequiredOnApproval: true, recommendationsEnabled: true }): FakeTenant {
  const t = smallTenant(() => NOW);
  for (let n = 0; n < 21; n += 1) t.users.push({ id: `member-${n}`, displayName: `Member ${String(n).padStart(2, '0')}`, userPrincipalName: `member${n}@contoso.local`, userType: 'Member' });
  t.definitions.push({ id: SALES, displayName: 'Sales Team access review', status: 'InProgress', scope, settings });
  const items: FakeItem[] = [
    { principalId: IDS.guestA, decision: 'NotReviewed', reviewers: [IDS.megan], recommendation: 'Deny', lastSignIn: signIn(200) },
    { principalId: IDS.guestB, decision: 'NotReviewed', reviewers: [IDS.megan], recommendation: 'Approve', lastSignIn: signIn(3) },
    ...Array.from({ length: 21 }, (_, n): FakeItem => ({ principalId: `member-${n}`, decision: 'NotReviewed', reviewers: [IDS.megan], recommendation: 'Approve', lastSignIn: signIn(1) })),
    { principalId: IDS.alex, decision: 'NotReviewed', reviewers: [IDS.alex], recommendation: 'NoInfoAvailable' },
  ];
  t.runs.push({ definitionId: SALES, id: 'sales-run', status: 'InProgress', startDateTime: '2025-06-01T08:00:00Z', endDateTime: '2025-06-06T08:00:00Z', items });
  return t;
}

let bot: BotHarness;
afterEach(async () => {
  await bot.close();
});

type Card = ReturnType<typeof cardOf>;
const itemIdOf = (n: number): string => `sales-run-${n}`;

/** Presses a decision card button as `user` with the card's own data plus the inputs typed on it. */
async function press(user: Person, card: Card, title: string, inputs: Record<string, string> = {}): Promise<{ card: Card; text: string }> {
  const button = buttonsOf(card).find((b) => b.title === title || b.title.startsWith(title));
  if (button === undefined) throw new Error(`no button "${title}" on the card: ${buttonsOf(card).map((b) => b.title).join(', ')}`);
  const { invoke } = await bot.turn(invokeActivity(bot.wire, user, 'adaptiveCard/action', executeValue(button.verb ?? '', { ...button.data, ...inputs }), PERSONAL, 'decision-card'));
  const body = invoke?.body as Parameters<typeof invokeCard>[0];
  return { card: invokeCard(body), text: invokeText(body) };
}

test('my reviews: the reviews with items to decide, with what is left and the due date; someone who reviews nothing is told so', async () => {
  bot = buildBot({ signedIn: [IDS.megan, IDS.adele], tenant: tenant() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'my reviews')));
  expect(validateCard(card ?? {})).toEqual([]);
  const texts = cardTexts(card);
  expect(texts.slice(0, 2)).toEqual(['Your access reviews to decide', '23 decisions waiting in 1 review · most urgent first']);
  expect(texts).toContain('Sales Team access review');
  expect(texts).toContain('Members of Sales Team · due Friday 6 June 2025 · 3 days left');
  expect(texts).toContain('23 of 23 to decide');
  expect(buttonsOf(card).map((b) => [b.title, b.data])).toEqual([['Start', { verb: 'reviewer.decide', args: `@${SALES}/sales-run undecided 0`, for: IDS.megan, open: 'below' }]]);
  // The reviewer's own token only.
  expect(new Set(bot.tenant.calls.map((c) => c.as))).toEqual(new Set([IDS.megan]));
  const none = cardOf(only(await bot.say(PEOPLE.adele, 'what do I need to review')));
  expect(cardTexts(none)).toContain('Nothing to decide: no running access review has items waiting for you.');
});

test('the decision card: 10 items with the recommendation and its reason; choices kept by Next; an approval without the required justification is not kept', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
  const first = cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));
  expect(validateCard(first ?? {})).toEqual([]);
  expect(Buffer.byteLength(JSON.stringify(first), 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
  const texts = cardTexts(first);
  expect(texts).toContain('You: 23 of 23 to decide · 0 pending');
  expect(texts).toContain('Undecided · 1–10 of 23');
  expect(texts[texts.indexOf('Guest A · Guest · a_fabrikam.test#EXT#@contoso.local') + 1]).toBe('Deny recommended: last sign-in 200 days ago (look-back 30 days)');
  expect(texts[texts.indexOf('Guest B · Guest · b_fabrikam.test#EXT#@contoso.local') + 1]).toBe('Approve recommended: last sign-in 3 days ago (look-back 30 days)');

  // Deny Guest A, approve Guest B without a justification (required here): only the denial is kept.
  const next = await press(PEOPLE.megan, first, 'Next', { [`choice:${itemIdOf(0)}`]: 'Deny', [`choice:${itemIdOf(1)}`]: 'Approve' });
  const nextTexts = cardTexts(next.card);
  expect(nextTexts).toContain('Approving needs a justification in this review: 1 approval on this page was not kept. Write why in the box, choose Approve again, then press.');
  expect(nextTexts).toContain('Undecided · 11–20 of 23');
  expect(nextTexts).toContain('You: 23 of 23 to decide · 1 pending');
  const kept = await new PendingChoices(bot.storage, bot.clock).get(IDS.megan, 'sales-run');
  expect(kept?.choices).toEqual({ [itemIdOf(0)]: { decision: 'Deny' } });
  // Nothing was sent to Graph yet.
  expect(bot.tenant.methods()).not.toContain('recordDecisions');
});

test('Submit sends every pending choice once, as the reviewer, with the justification; a second Submit has nothing to send', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'decide "Sales Team access review"')));
  const why = 'Still works with us on the Contoso account';
  const sent = await press(PEOPLE.megan, card, 'Submit', { [`choice:${itemIdOf(0)}`]: 'Deny', [`choice:${itemIdOf(1)}`]: 'Approve', justification: why });
  expect(cardTexts(sent.card)).toContain('Sent: 2 decisions recorded.');
  const items = bot.tenant.runs[0]?.items ?? [];
  expect(items[0]).toMatchObject({ decision: 'Deny', justification: why, reviewedBy: IDS.megan });
  expect(items[1]).toMatchObject({ decision: 'Approve', justification: why, reviewedBy: IDS.megan });
  expect(bot.tenant.calls.filter((c) => c.method === 'recordDecisions').map((c) => c.as)).toEqual([IDS.megan]);
  expect(cardTexts(sent.card)).toContain('You: 21 of 23 to decide · 0 pending');
  // The same card pressed again: nothing pending, nothing recorded twice.
  const again = await press(PEOPLE.megan, card, 'Submit');
  expect(cardTexts(again.card)).toContain('Nothing pending to send: choose Approve, Deny or Don\'t know first.');
  expect(bot.tenant.calls.filter((c) => c.method === 'recordDecisions')).toHaveLength(1);
});

test('Graph refusing an item keeps it pending and names it with the reason; the others are recorded', async () => {
  const t = tenant({ justificationRequiredOnApproval: false });
  bot = buildBot({ signedIn: [IDS.megan], tenant: t });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));
  await press(PEOPLE.megan, card, 'Next', { [`choice:${itemIdOf(0)}`]: 'Deny', [`choice:${itemIdOf(1)}`]: 'Approve' });
  // The review starts requiring a justification after Megan chose: Graph refuses the approval.
  const definition = t.definitions.find((d) => d.id === SALES);
  if (definition) definition.settings = { justificationRequiredOnApproval: true };
  const sent = await press(PEOPLE.megan, card, 'Submit');
  expect(cardTexts(sent.card)).toContain('Sent: 1 decision recorded. Not recorded, still pending (1): Guest B: A justification is required to approve access in this review.');
  expect((await new PendingChoices(bot.storage, bot.clock).get(IDS.megan, 'sales-run'))?.choices).toEqual({ [itemIdOf(1)]: { decision: 'Approve' } });
});

test('a card pressed by someone else changes nothing, before any Graph call; a non-reviewer is told only reviewers decide', async () => {
  bot = buildBot({ signedIn: [IDS.megan, IDS.alex, IDS.adele], tenant: tenant() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));
  bot.tenant.calls.length = 0;
  const alex = await press(PEOPLE.alex, card, 'Submit', { [`choice:${itemIdOf(0)}`]: 'Approve', justification: 'mine now' });
  expect(alex.text).toBe('Only this review\'s reviewers can decide, each on their own card, and this card is not yours: nothing was kept or sent. Type "my reviews" for yours.');
  expect(bot.tenant.calls).toEqual([]);
  expect(await new PendingChoices(bot.storage, bot.clock).get(IDS.alex, 'sales-run')).toBeUndefined();
  expect(bot.tenant.runs[0]?.items[0]?.decision).toBe('NotReviewed');
  // Adele (an admin, but no reviewer here) with a card made out to her: Graph's walk shows her nothing to decide.
  const forged = { verb: 'reviewer.decide', args: `@${SALES}/sales-run undecided 0 submit`, for: IDS.adele, [`choice:${itemIdOf(0)}`]: 'Deny' };
  const { invoke } = await bot.turn(invokeActivity(bot.wire, PEOPLE.adele, 'adaptiveCard/action', executeValue('reviewer.decide', forged), PERSONAL, 'x'));
  expect(invokeText(invoke?.body as Parameters<typeof invokeText>[0]))
    .toBe('Only the reviewers of "Sales Team access review" can decide on its items, and you have none in it: nothing was kept or sent.');
  expect(bot.tenant.methods()).not.toContain('recordDecisions');
  expect(await new PendingChoices(bot.storage, bot.clock).get(IDS.adele, 'sales-run')).toBeUndefined();
});

test('a closed review: no choices, no Submit, and a press keeps nothing', async () => {
  const t = tenant();
  bot = buildBot({ signedIn: [IDS.megan], tenant: t });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));
  const run = t.runs[0];
  if (run) run.status = 'Completed';
  const pressed = await press(PEOPLE.megan, card, 'Submit', { [`choice:${itemIdOf(0)}`]: 'Deny' });
  const texts = cardTexts(pressed.card);
  expect(texts).toContain('This review has closed (Completed): decisions can no longer be recorded.\n\nNothing was kept or sent.');
  expect(buttonsOf(pressed.card).map((b) => b.title)).not.toContain('Submit');
  expect(JSON.stringify(pressed.card)).not.toContain('Input.ChoiceSet');
  expect(bot.tenant.methods()).not.toContain('recordDecisions');
});

test('filters: recommended deny and guests', async () => {
  bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
  const card = cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));
  const deny = await press(PEOPLE.megan, card, 'Recommended deny');
  expect(cardTexts(deny.card)).toContain('Recommended deny · 1–1 of 1');
  const guests = await press(PEOPLE.megan, deny.card, 'Guests');
  expect(cardTexts(guests.card)).toContain('Guests · 1–2 of 2');
  expect(buttonsOf(guests.card).find((b) => b.title === '✓ Guests')).toBeDefined();
  expect(textOf(await bot.say(PEOPLE.megan, 'decide nothing-like-it'))).toBe('You review no access review called `nothing-like-it`. `my reviews` lists the ones you do.');
});

describe('bulk: approve all recommended approve, deny all recommended deny, accept all recommendations (issue 13, item 3)', () => {
  const APPROVE = 'Approve all recommended approve';
  const DENY = 'Deny all recommended deny';
  const ACCEPT = 'Accept all recommendations';
  const writes = (): string[] => bot.tenant.methods().filter((m) => m === 'recordDecisions' || m === 'acceptRecommendations');
  const recorded = (): Array<{ itemId: string; decision: string; justification?: string }> =>
    bot.tenant.calls.filter((c) => c.method === 'recordDecisions').flatMap((c) => c.args[2] as Array<{ itemId: string; decision: string; justification?: string }>);
  const titles = (card: Card): string[] => buttonsOf(card).map((b) => b.title);
  const pendingOf = async (): Promise<Record<string, unknown>> => (await new PendingChoices(bot.storage, bot.clock).get(IDS.megan, 'sales-run'))?.choices ?? {};
  const openCard = async (): Promise<Card> => cardOf(only(await bot.say(PEOPLE.megan, 'decide sales')));

  test('each button first shows how many undecided items it records, read as the presser, with Confirm and Back; nothing is written', async () => {
    bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
    const card = await openCard();
    expect(titles(card).slice(-3)).toEqual([APPROVE, DENY, ACCEPT]);
    expect(buttonsOf(card).find((b) => b.title === APPROVE)?.data).toEqual({ verb: 'reviewer.decide', args: `@${SALES}/sales-run undecided 0 bulk:approveRecommended`, for: IDS.megan });

    const approve = await press(PEOPLE.megan, card, APPROVE);
    expect(validateCard(approve.card ?? {})).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(approve.card), 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(cardTexts(approve.card)).toContain('Approve all recommended approve: this records Approve for 22 of your undecided items. ' +
      'Items already decided and your other pending choices stay as they are. This review requires a justification to approve: write it in the box below first. ' +
      'Press Approve 22 items to record them, or Back.');
    expect(titles(approve.card)).toEqual(expect.arrayContaining(['Approve 22 items', 'Back']));
    expect(titles(approve.card)).not.toContain(APPROVE);
    expect(buttonsOf(approve.card).find((b) => b.title === 'Approve 22 items')?.data.args).toBe(`@${SALES}/sales-run undecided 0 confirm:approveRecommended:22`);
    expect(buttonsOf(approve.card).find((b) => b.title === 'Back')?.data.args).toBe(`@${SALES}/sales-run undecided 0`);

    const deny = await press(PEOPLE.megan, card, DENY);
    expect(cardTexts(deny.card)).toContain('Deny all recommended deny: this records Deny for 1 of your undecided items. ' +
      'Items already decided and your other pending choices stay as they are. Press Deny 1 item to record them, or Back.');
    const accept = await press(PEOPLE.megan, card, ACCEPT, { [`choice:${itemIdOf(1)}`]: 'Deny' });
    expect(cardTexts(accept.card)).toContain('Accept all recommendations: this records the recommended decision for 23 of your undecided items (22 approve, 1 deny). ' +
      'Items already decided and your other pending choices stay as they are. It replaces your pending choice for 1 of them. ' +
      'This review requires a justification to approve: write it in the box below first. Press Accept 23 recommendations to record them, or Back.');
    expect(writes()).toEqual([]);
    expect(new Set(bot.tenant.calls.map((c) => c.as))).toEqual(new Set([IDS.megan]));
    // Back: the card as it was, the bulk buttons again.
    const back = await press(PEOPLE.megan, accept.card, 'Back');
    expect(titles(back.card).slice(-3)).toEqual([APPROVE, DENY, ACCEPT]);
  });

  test('Confirm records exactly the recommended items once, with the justification; decided items and other pending choices are left; a second Confirm records nothing', async () => {
    const t = tenant();
    const decided = t.runs[0]?.items[2];
    if (decided) Object.assign(decided, { decision: 'Deny', justification: 'Left', reviewedBy: IDS.megan });
    bot = buildBot({ signedIn: [IDS.megan], tenant: t });
    const card = await openCard();
    // Pending: Guest A (recommended deny) and Member 01 (recommended approve, item 3).
    await press(PEOPLE.megan, card, 'Next', { [`choice:${itemIdOf(0)}`]: 'Deny', [`choice:${itemIdOf(3)}`]: 'DontKnow' });
    const why = 'Works on the Contoso account';
    const asked = await press(PEOPLE.megan, card, APPROVE, { justification: why });
    expect(cardTexts(asked.card)).toContain('Approve all recommended approve: this records Approve for 21 of your undecided items. ' +
      'Items already decided and your other pending choices stay as they are. It replaces your pending choice for 1 of them. ' +
      'The justification in the box is recorded with each one. Press Approve 21 items to record them, or Back.');
    // The box keeps the justification typed with the bulk button, so Confirm sends it.
    expect(JSON.stringify(asked.card)).toContain(`"value":"${why}"`);
    const done = await press(PEOPLE.megan, asked.card, 'Approve 21 items', { justification: why });
    expect(cardTexts(done.card)).toContain('Approved 21 items recommended for approval.');
    expect(cardTexts(done.card)).toContain('You: 1 of 23 to decide · 1 pending');
    const expected = [1, ...Array.from({ length: 20 }, (_, n) => n + 3)].map(itemIdOf);
    expect(recorded().map((c) => c.itemId)).toEqual(expected);
    expect(recorded().every((c) => c.decision === 'Approve' && c.justification === why)).toBe(true);
    expect(writes()).toEqual(['recordDecisions']);
    const items = bot.tenant.runs[0]?.items ?? [];
    expect(items[0]).toMatchObject({ decision: 'NotReviewed' });
    expect(items[2]).toMatchObject({ decision: 'Deny', justification: 'Left' });
    expect(items[3]).toMatchObject({ decision: 'Approve', justification: why, reviewedBy: IDS.megan });
    expect(items[23]).toMatchObject({ decision: 'NotReviewed' });
    expect(await pendingOf()).toEqual({ [itemIdOf(0)]: { decision: 'Deny' } });
    // The same Confirm again: the items are read again, none is left to approve; nothing is recorded twice.
    const again = await press(PEOPLE.megan, asked.card, 'Approve 21 items', { justification: why });
    expect(cardTexts(again.card)).toContain('None of your undecided items is recommended for approval: there is nothing to approve. Nothing was recorded.');
    expect(writes()).toEqual(['recordDecisions']);
  });

  test('a Confirm while the reviewer\'s claim is held (a double press, another replica) records nothing', async () => {
    bot = buildBot({ signedIn: [IDS.megan], tenant: tenant({ justificationRequiredOnApproval: false }) });
    const asked = await press(PEOPLE.megan, await openCard(), DENY);
    const pending = new PendingChoices(bot.storage, bot.clock);
    const during = await pending.claim(IDS.megan, 'sales-run', () => press(PEOPLE.megan, asked.card, 'Deny 1 item'));
    expect(cardTexts(during?.card)).toContain('Your decisions for this review are being recorded already: nothing was recorded twice.');
    expect(writes()).toEqual([]);
    const after = await press(PEOPLE.megan, asked.card, 'Deny 1 item');
    expect(cardTexts(after.card)).toContain('Denied 1 item recommended for denial.');
    expect(bot.tenant.runs[0]?.items[0]).toMatchObject({ decision: 'Deny', reviewedBy: IDS.megan });
    expect(writes()).toEqual(['recordDecisions']);
  });

  test('zero items: said so, no Confirm; a count that changed before Confirm is asked again, nothing recorded', async () => {
    const t = tenant({ justificationRequiredOnApproval: false });
    bot = buildBot({ signedIn: [IDS.megan], tenant: t });
    const card = await openCard();
    const approve = await press(PEOPLE.megan, card, APPROVE);
    const first = t.runs[0]?.items[0];
    if (first) first.decision = 'Deny';
    const deny = await press(PEOPLE.megan, card, DENY);
    expect(cardTexts(deny.card)).toContain('None of your undecided items is recommended for denial: there is nothing to deny.');
    expect(titles(deny.card).filter((title) => title.startsWith('Deny ') || title === 'Back')).toEqual([DENY]);
    // Two items decided elsewhere since Megan asked: the new number is asked about instead.
    for (const n of [5, 6]) Object.assign(t.runs[0]?.items[n] ?? {}, { decision: 'Approve' });
    const changed = await press(PEOPLE.megan, approve.card, 'Approve 22 items');
    expect(cardTexts(changed.card)).toContain('The number of items changed since you asked (22 then, 20 now): nothing was recorded yet. ' +
      'Approve all recommended approve: this records Approve for 20 of your undecided items. Items already decided and your other pending choices stay as they are. ' +
      'Press Approve 20 items to record them, or Back.');
    expect(titles(changed.card)).toContain('Approve 20 items');
    expect(writes()).toEqual([]);
    const done = await press(PEOPLE.megan, changed.card, 'Approve 20 items');
    expect(cardTexts(done.card)).toContain('Approved 20 items recommended for approval.');
    expect(recorded()).toHaveLength(20);
  });

  test('justification required: approvals without one are refused before any Graph write; accept all records per item with it, since acceptRecommendations carries none', async () => {
    bot = buildBot({ signedIn: [IDS.megan], tenant: tenant() });
    const card = await openCard();
    const asked = await press(PEOPLE.megan, card, APPROVE);
    const refused = await press(PEOPLE.megan, asked.card, 'Approve 22 items');
    expect(cardTexts(refused.card)).toContain('Approving needs a justification in this review: write why in the box below, then press Approve 22 items again. Nothing was recorded.');
    expect(titles(refused.card)).toContain('Approve 22 items');
    const accept = await press(PEOPLE.megan, card, ACCEPT);
    const refusedAccept = await press(PEOPLE.megan, accept.card, 'Accept 23 recommendations');
    expect(cardTexts(refusedAccept.card)).toContain('Approving needs a justification in this review: write why in the box below, then press Accept 23 recommendations again. Nothing was recorded.');
    expect(writes()).toEqual([]);
    // Deny needs none.
    const deny = await press(PEOPLE.megan, card, DENY);
    expect(cardTexts((await press(PEOPLE.megan, deny.card, 'Deny 1 item')).card)).toContain('Denied 1 item recommended for denial.');
    const why = 'Quarterly check with their managers';
    const accepted = await press(PEOPLE.megan, await press(PEOPLE.megan, card, ACCEPT, { justification: why }).then((r) => r.card), 'Accept 22 recommendations', { justification: why });
    expect(cardTexts(accepted.card)).toContain('Accepted the recommendation for 22 items: 22 approved, 0 denied.');
    expect(writes()).toEqual(['recordDecisions', 'recordDecisions']);
    expect(recorded().slice(1).every((c) => c.decision === 'Approve' && c.justification === why)).toBe(true);
    expect(bot.tenant.runs[0]?.items.slice(0, 23).every((item) => item.decision !== 'NotReviewed')).toBe(true);
  });

  test('accept all without a justification rule: one acceptRecommendations; those items\' pending choices are cleared, others kept', async () => {
    const t = tenant({ justificationRequiredOnApproval: false });
    Object.assign(t.runs[0]?.items[4] ?? {}, { recommendation: 'NoInfoAvailable' });
    bot = buildBot({ signedIn: [IDS.megan], tenant: t });
    const card = await openCard();
    await press(PEOPLE.megan, card, 'Next', { [`choice:${itemIdOf(0)}`]: 'Approve', [`choice:${itemIdOf(4)}`]: 'Deny' });
    const asked = await press(PEOPLE.megan, card, ACCEPT, { justification: 'ignored' });
    expect(cardTexts(asked.card)).toContain('Accept all recommendations: this records the recommended decision for 22 of your undecided items (21 approve, 1 deny). ' +
      'Items already decided and your other pending choices stay as they are. It replaces your pending choice for 1 of them. ' +
      'Accepting recommendations records no justification. Press Accept 22 recommendations to record them, or Back.');
    const done = await press(PEOPLE.megan, asked.card, 'Accept 22 recommendations');
    expect(cardTexts(done.card)).toContain('Accepted the recommendation for 22 items: 21 approved, 1 denied.');
    expect(writes()).toEqual(['acceptRecommendations']);
    expect(bot.tenant.calls.find((c) => c.method === 'acceptRecommendations')?.as).toBe(IDS.megan);
    expect(bot.tenant.runs[0]?.items[0]).toMatchObject({ decision: 'Deny', reviewedBy: IDS.megan });
    expect(bot.tenant.runs[0]?.items[4]).toMatchObject({ decision: 'NotReviewed' });
    expect(await pendingOf()).toEqual({ [itemIdOf(4)]: { decision: 'Deny' } });
  });

  test('Graph refusing items: the recorded ones are counted, up to five refused named with Graph\'s reason, and they stay undecided', async () => {
    const t = tenant({ justificationRequiredOnApproval: false });
    for (const n of [3, 4, 5, 6, 7, 8, 9]) t.refusals.set(itemIdOf(n), new AppError('Forbidden', 'Only the reviewers of this item can decide it.', { status: 403 }));
    bot = buildBot({ signedIn: [IDS.megan], tenant: t });
    const asked = await press(PEOPLE.megan, await openCard(), APPROVE);
    const done = await press(PEOPLE.megan, asked.card, 'Approve 22 items');
    expect(cardTexts(done.card)).toContain('Approved 15 items recommended for approval. Not recorded, still undecided (7): ' +
      'Member 01: Only the reviewers of this item can decide it; Member 02: Only the reviewers of this item can decide it; Member 03: Only the reviewers of this item can decide it; ' +
      'Member 04: Only the reviewers of this item can decide it; Member 05: Only the reviewers of this item can decide it; and 2 more.');
    expect(bot.tenant.runs[0]?.items.slice(3, 10).every((item) => item.decision === 'NotReviewed')).toBe(true);
  });

  test('someone else\'s card: a Confirm pressed by another user does nothing, before any Graph call', async () => {
    bot = buildBot({ signedIn: [IDS.megan, IDS.alex], tenant: tenant({ justificationRequiredOnApproval: false }) });
    const asked = await press(PEOPLE.megan, await openCard(), ACCEPT);
    bot.tenant.calls.length = 0;
    const alex = await press(PEOPLE.alex, asked.card, 'Accept 23 recommendations');
    expect(alex.text).toBe('Only this review\'s reviewers can decide, each on their own card, and this card is not yours: nothing was kept or sent. Type "my reviews" for yours.');
    expect(bot.tenant.calls).toEqual([]);
    expect(bot.tenant.runs[0]?.items.every((item) => item.decision === 'NotReviewed')).toBe(true);
  });

  test('a closed review: no bulk buttons, and a Confirm pressed on an older card records nothing', async () => {
    const t = tenant({ justificationRequiredOnApproval: false });
    bot = buildBot({ signedIn: [IDS.megan], tenant: t });
    const asked = await press(PEOPLE.megan, await openCard(), DENY);
    const run = t.runs[0];
    if (run) run.status = 'Completed';
    const pressed = await press(PEOPLE.megan, asked.card, 'Deny 1 item');
    expect(cardTexts(pressed.card)).toContain('This review has closed (Completed): decisions can no longer be recorded.\n\nNothing was kept or sent.');
    expect(titles(pressed.card).filter((title) => [APPROVE, DENY, ACCEPT, 'Back'].includes(title))).toEqual([]);
    expect(writes()).toEqual([]);
    expect(titles(cardOf(only(await bot.say(PEOPLE.megan, 'decide sales'))))).not.toContain(ACCEPT);
  });
});

test('the decision card with a bulk choice to confirm stays within 28 KB and valid, whatever the names and the justification', () => {
  bot = buildBot({ tenant: tenant() });
  const wide = '𝔄😀漢'.repeat(400);
  const args = `@${SALES}/${'r'.repeat(36)} recommendedDeny 10000`;
  const base: Parameters<typeof renderDecideCard>[0] = {
    title: wide, run: wide, standing: wide, notice: wide, noticeIsWarning: true, itemsTitle: wide, emptyText: wide,
    items: Array.from({ length: 10 }, (_, n) => ({ itemId: `item-${n}`, name: wide, kind: wide, reason: wide, recorded: wide, pending: 'Approve' })),
    justificationRequired: true, footer: wide, owner: IDS.megan, previous: args, next: args, submit: `${args} submit`, submitTitle: wide, filter: 'guests',
    filters: { all: args, undecided: args, recommendedDeny: args, guests: args },
  };
  const confirming = renderDecideCard({ ...base, confirm: { title: wide, args: `${args} confirm:acceptRecommendations:999999`, back: args, justification: wide } });
  const bulk = renderDecideCard({ ...base, bulk: {
    approveRecommended: `${args} bulk:approveRecommended`, denyRecommended: `${args} bulk:denyRecommended`, acceptRecommendations: `${args} bulk:acceptRecommendations`,
  } });
  for (const card of [confirming, bulk]) {
    expect(validateCard(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
  }
  expect(buttonsOf(bulk).map((b) => b.title).slice(-3)).toEqual(['Approve all recommended approve', 'Deny all recommended deny', 'Accept all recommendations']);
  expect(buttonsOf(confirming).map((b) => b.title)).toContain('Back');
});
