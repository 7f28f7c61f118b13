import type { ReviewDefinition } from '../../../bot/graph/apis';
import { PendingChoices } from '../../../bot/reviewing/pendingChoices';
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
