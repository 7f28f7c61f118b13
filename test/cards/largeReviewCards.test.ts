import type { ExportedDecision } from '../../bot/graph/apis';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { IDS, smallTenant, type FakeTenant } from '../support/fakeGraph';
import {
  buildBot, buttonsOf, cardOf, cardTexts, invokeCard, NOW, only, PEOPLE, type BotHarness,
} from '../bot/support/botHarness';

/**
 * Issue 11: the `show` card, the `decisions` card (first and later pages) and the reviews list stay valid and within
 * 28 KB for a review whose run has 100,000 decision items with long, hostile names, reviewers and justifications.
 * Driven through the real bot (features, Graph seam fake, card render, templating), not the render functions alone.
 * Each kind of text costs the card differently: JSON escapes (`"` `\` control characters: 2 to 6 bytes a character),
 * UTF-8 (CJK: 3 bytes, emoji: 4 bytes for 2 UTF-16 units), and `${`/`{{` pairs, each of which the templating makes
 * inert with a word joiner (3 more bytes) after the render functions have clipped the text.
 */

const ITEMS = 100_000;
const PAGES = ITEMS / 10;
const HOSTILE_KINDS = {
  markup: '${name} {{DATE(2020-01-01T00:00:00Z)}} **bold** [link](https://evil.test) <b>x</b> @everyone ',
  quotes: '"\\"\\\\ "quoted" \\n ',
  cjk: '審査の理由は部署の異動です。',
  emoji: '🔥👩‍💻🚀',
  control: '\u0001\u0007\u001b\u2028\t\r\n',
  braces: '{{{{${${$${',
} as const;
type HostileKind = keyof typeof HOSTILE_KINDS;
const KINDS = Object.keys(HOSTILE_KINDS) as HostileKind[];
/** `length` UTF-16 units of a kind's text, repeated. */
const hostile = (kind: HostileKind, length: number): string => HOSTILE_KINDS[kind].repeat(Math.ceil(length / HOSTILE_KINDS[kind].length)).slice(0, length);
/** Items come in blocks of 10 of one kind: every decisions page is all of one kind. */
const kindOfPage = (page: number): HostileKind => KINDS[(page - 1) % KINDS.length] ?? 'markup';
/** The review of a kind (ids as Graph gives them: `show` and `decisions` take them as typed). */
const reviewId = (kind: HostileKind): string => `44444444-aaaa-4aaa-8aaa-${String(KINDS.indexOf(kind) + 1).padStart(12, '0')}`;
const DECISIONS: ReadonlyArray<ExportedDecision['decision']> = ['Approve', 'Deny', 'DontKnow', 'NotReviewed'];

function decisionItems(): ExportedDecision[] {
  // One long text per kind, shared by every item (100,000 items stay small in memory).
  const long = Object.fromEntries(KINDS.map((kind) => [kind, hostile(kind, 3000)])) as Record<HostileKind, string>;
  return Array.from({ length: ITEMS }, (_, n): ExportedDecision => {
    const text = long[kindOfPage(Math.floor(n / 10) + 1)];
    const decision = DECISIONS[n % DECISIONS.length] ?? 'NotReviewed';
    return {
      id: `d${n}`, decision, recommendation: n % 3 === 0 ? 'Deny' : 'Approve', applyResult: n % 5 === 0 ? 'AppliedSuccessfully' : 'New',
      // The item's number first, so a page's items can be told apart after the card clips the name.
      principal: { id: `p${n}`, displayName: `#${n} ${text}`, userPrincipalName: `${text}@contoso.local`, type: 'user' },
      reviewedBy: decision === 'NotReviewed' ? null : { id: IDS.megan, displayName: text, userPrincipalName: text },
      reviewedDateTime: decision === 'NotReviewed' ? null : '2025-06-01T10:00:00Z',
      appliedBy: n % 5 === 0 ? { id: IDS.megan, displayName: text } : null,
      justification: text,
    };
  });
}

/** One review per kind of text (its name, descriptions and reviewers in it), 14 runs each, the first 3 sharing the 100,000 items. */
function largeTenant(): FakeTenant {
  const tenant = smallTenant(() => NOW);
  const items = decisionItems();
  for (const kind of KINDS) {
    const id = reviewId(kind);
    tenant.definitions.push({
      id, displayName: hostile(kind, 2000), status: 'InProgress', descriptionForReviewers: hostile(kind, 2000), descriptionForAdmins: hostile(kind, 2000),
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/v1.0/groups/${IDS.sales}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
      reviewers: [{ query: `/v1.0/groups/${IDS.sales}/owners`, queryType: 'MicrosoftGraph' }],
      settings: { instanceDurationInDays: 14, recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: '2025-06-01' } } },
    });
    for (let run = 0; run < 14; run += 1) {
      const instanceId = `${id}-run-${run}`;
      // Newest first: the current run, then the earlier runs by start (run n began n months before the current one).
      const month = (day: number): string => new Date(Date.UTC(2025, 5 - run, day, 8)).toISOString();
      tenant.runs.push({ definitionId: id, id: instanceId, status: run === 0 ? 'InProgress' : 'Completed', items: [], startDateTime: month(1), endDateTime: month(15) });
      if (run < 3) {
        tenant.decisionItems.set(instanceId, items);
        tenant.contacted.set(instanceId, Array.from({ length: 40 }, (_, n) => ({ id: `r${n}`, displayName: `${n} ${hostile(kind, 500)}` })));
      }
    }
  }
  // More reviews with such names, for a second page of `reviews`.
  for (let n = 0; n < 20; n += 1) {
    const kind = KINDS[n % KINDS.length] ?? 'markup';
    tenant.definitions.push({ id: `list-${n}`, displayName: `${hostile(kind, 2000)}`, status: 'InProgress', settings: {},
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/v1.0/groups/${IDS.finance}/transitiveMembers/microsoft.graph.user`, queryType: 'MicrosoftGraph' },
      reviewers: [{ query: `/v1.0/users/${IDS.megan}`, queryType: 'MicrosoftGraph' }] });
  }
  return tenant;
}

const bytes = (card: object): number => Buffer.byteLength(JSON.stringify(card), 'utf8');
/** Within 28 KB and valid for Teams (validateCard checks the size too; the explicit check names the size on failure). */
function expectSendable(card: object | undefined): void {
  expect(card).toBeDefined();
  expect({ bytes: bytes(card ?? {}), problems: validateCard(card ?? {}) }).toEqual({ bytes: expect.any(Number) as number, problems: [] });
  expect(bytes(card ?? {})).toBeLessThanOrEqual(MAX_CARD_BYTES);
}
/** The item numbers a decisions card lists, in order. */
const itemNumbers = (card: ReturnType<typeof cardOf>): number[] =>
  cardTexts(card).flatMap((text) => /^#(\d+) /.exec(text)?.[1] ?? []).map(Number);

let bot: BotHarness;
beforeAll(() => {
  bot = buildBot({ signedIn: [IDS.adele], tenant: largeTenant() });
});
afterAll(async () => {
  await bot.close();
});

test('the check can fail: a decisions card with an unclipped 100,000-item justification is refused', async () => {
  const card = cardOf(only(await bot.say(PEOPLE.adele, `decisions ${reviewId('markup')}`)));
  const grown = JSON.parse(JSON.stringify(card)) as { body: object[] };
  grown.body.push({ type: 'TextBlock', text: hostile('markup', MAX_CARD_BYTES), wrap: true });
  expect(validateCard(grown)).toContainEqual(expect.stringMatching(/over 28672/));
});

describe.each(KINDS)('a review with 100,000 decision items, text of kind "%s"', (kind) => {
  const id = reviewId(kind);

  test('`summary` (issue 12): 100,000 items counted, 40 waiting reviewers cut to "and N more"; Refresh too; valid and within 28 KB', async () => {
    const card = cardOf(only(await bot.say(PEOPLE.adele, `summary ${id}`)));
    expectSendable(card);
    const texts = cardTexts(card);
    expect(texts).toContain(`75,000 of ${ITEMS.toLocaleString('en-US')} reviewed (75%)`);
    expect(texts.filter((text) => text === '25,000')).toHaveLength(4);
    expect(texts.filter((text) => /^Waiting on 0 .* and \d+ more$/s.test(text))).toHaveLength(1);
    const refresh = buttonsOf(card).find((button) => button.title === 'Refresh');
    expectSendable(invokeCard(await bot.press(PEOPLE.adele, String(refresh?.verb), refresh?.data)));
  });

  test('`show`: 100,000 items counted in each of three runs, ten runs listed; valid and within 28 KB', async () => {
    const card = cardOf(only(await bot.say(PEOPLE.adele, `show ${id}`)));
    expectSendable(card);
    const texts = cardTexts(card);
    expect(texts.filter((text) => text.endsWith(`of ${ITEMS.toLocaleString('en-US')} reviewed (75%)`))).toHaveLength(3);
    // Only the run in progress waits on anyone (its 40 reviewers decided nothing; the line is clipped).
    expect(texts.filter((text) => text.startsWith('Waiting on 0 '))).toHaveLength(1);
    expect(texts).toContain('…and 4 more runs');
  });

  test('`decisions`: first page, Next, and the late pages of every kind; valid and within 28 KB', async () => {
    const first = cardOf(only(await bot.say(PEOPLE.adele, `decisions ${id}`)));
    expectSendable(first);
    // Thousands grouped like the counts ("10,000", not "10000").
    expect(PAGES).toBe(10_000);
    expect(cardTexts(first)).toContain('Page 1 of 10,000. Filters: pending, approved, denied, dontknow.');
    expect(itemNumbers(first)).toEqual(Array.from({ length: 10 }, (_, n) => n));
    const next = buttonsOf(first).find((button) => button.title === 'Next');
    const second = invokeCard(await bot.press(PEOPLE.adele, String(next?.verb), next?.data));
    expectSendable(second);
    expect(itemNumbers(second)).toEqual(Array.from({ length: 10 }, (_, n) => 10 + n));
    // A late page whose ten items are all of this kind (and the last page).
    const page = PAGES - ((PAGES - 1 - KINDS.indexOf(kind)) % KINDS.length);
    expect(kindOfPage(page)).toBe(kind);
    const late = cardOf(only(await bot.say(PEOPLE.adele, `decisions ${id} page ${page}`)));
    expectSendable(late);
    expect(itemNumbers(late)).toEqual(Array.from({ length: 10 }, (_, n) => (page - 1) * 10 + n));
    const filtered = cardOf(only(await bot.say(PEOPLE.adele, `decisions ${id} denied page 2000`)));
    expectSendable(filtered);
    expect(itemNumbers(filtered)).toHaveLength(10);
  });
});

test('`summary all` (issue 12): the digest of every active review (six of 100,000 items), hostile names; valid and within 28 KB', async () => {
  const card = cardOf(only(await bot.say(PEOPLE.adele, 'summary all')));
  expectSendable(card);
  expect(cardTexts(card).filter((text) => text === `75,000 of ${ITEMS.toLocaleString('en-US')} reviewed (75%)`)).toHaveLength(KINDS.length);
  expect(cardTexts(card)).toContain('…and 16 more active reviews.');
});

test('`reviews all`: ten long, hostile names a page, and the next pages; valid and within 28 KB', async () => {
  let card = cardOf(only(await bot.say(PEOPLE.adele, 'reviews all')));
  let pages = 0;
  for (;;) {
    expectSendable(card);
    pages += 1;
    // Every row's Details button: ten rows a page (the last page: the rest).
    expect(buttonsOf(card).filter((button) => button.title === 'Details').length).toBe(pages < 3 ? 10 : bot.tenant.definitions.length - 20);
    const next = buttonsOf(card).find((button) => button.title === 'Next');
    if (next === undefined) break;
    card = invokeCard(await bot.press(PEOPLE.adele, String(next.verb), next.data));
  }
  expect(pages).toBe(3);
});
