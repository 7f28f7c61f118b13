import { DIGEST_SUBSCRIBE, DIGEST_UNSUBSCRIBE } from '../../cards/verbs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  escapeCardText,
  expandTemplate,
  renderChannelSignInCard,
  renderHelpCard,
  renderReviewChoiceCard,
  renderReviewsListCard,
  renderWelcomeCard,
  unescapeCardText,
  type AdaptiveCardJson,
  type ConversationScope,
  type HelpGroupData,
  type ReviewListRow,
} from '../../cards/index';
import { validateCard } from '../../cards/validate';
import {
  ALL_VERBS, HELP, REVIEW_ACTION_CANCEL, REVIEW_ACTION_CONFIRM, REVIEW_APPLY, REVIEW_EDIT_CANCEL, REVIEW_EDIT_CONFIRM, REVIEW_DELETE, REVIEW_REMIND, REVIEW_RESET, REVIEW_STOP, REVIEWS_LIST, SIGN_OUT,
} from '../../cards/verbs';
import { renderConfirmActionCard } from '../../cards/confirmAction';
import { nodes, ofType, type Node } from './cardNodes';

const CARDS_DIR = join(__dirname, '..', '..', 'cards');
const SCOPES: readonly ConversationScope[] = ['personal', 'groupChat', 'channel'];
const HOSTILE = 'Sales ${x} **bold** _it_ "quoted" <b>tag</b> {{DATE(2024-01-01T00:00:00Z, SHORT)}} ${{y}}';
const LONG = 'L'.repeat(20_000);

const texts = (card: unknown): string[] => nodes(card).flatMap((node) => (typeof node.text === 'string' ? [node.text] : []));
const textOf = (node: Node | undefined): string => node?.text ?? '';
const allText = (card: unknown): string => texts(card).join('\n');
const monospace = (card: unknown): string[] => ofType(card, 'TextRun').filter((run) => run.fontType === 'Monospace').map(textOf);
const executes = (card: unknown): Node[] => ofType(card, 'Action.Execute');

/** Help rows as the bot computes them from its catalogue (test/bot/commands/catalogue.test.ts checks that part). */
const HELP_ROWS: readonly HelpGroupData[] = [
  { name: 'Create', commands: [{ command: 'create review', description: 'start the wizard' }, { command: 'review <target> [options]', description: 'one line' }] },
  { name: 'Read', commands: [{ command: 'reviews [active|completed|all]', description: 'list access reviews' }] },
  { name: 'Account', commands: [{ command: 'help', description: 'this card' }, { command: 'sign out', description: 'forget your sign-in' }] },
];
const helpCard = (scope: ConversationScope, groups: readonly HelpGroupData[] = HELP_ROWS): AdaptiveCardJson => renderHelpCard({ scope, groups });

const row = (index: number): ReviewListRow => ({ displayName: `Review ${index}`, reviewedScope: 'Guests of Sales', status: 'In progress', recurrence: 'Quarterly' });

const representative: Record<string, AdaptiveCardJson> = {
  ...Object.fromEntries(SCOPES.map((scope) => [`welcome/${scope}`, renderWelcomeCard({ scope, commands: HELP_ROWS.flatMap((group) => group.commands) })])),
  ...Object.fromEntries(SCOPES.map((scope) => [`help/${scope}`, helpCard(scope)])),
  channelSignIn: renderChannelSignInCard({ title: 'Show active reviews', verb: REVIEWS_LIST, data: { command: 'reviews active' } }),
  reviewsList: renderReviewsListCard({ filter: 'active', reviews: [row(1), row(2), row(3)] }),
  reviewsListEmpty: renderReviewsListCard({ filter: 'completed', reviews: [] }),
};

const hostileRow = { displayName: `${HOSTILE} ${LONG}`, reviewedScope: HOSTILE + LONG, status: HOSTILE + LONG, recurrence: HOSTILE + LONG };
const hostile = {
  channelSignIn: renderChannelSignInCard({ title: HOSTILE + LONG, verb: REVIEWS_LIST, data: { command: `summary "${HOSTILE}"`, extra: LONG } }),
  reviewsList: renderReviewsListCard({ filter: 'all', reviews: Array.from({ length: 25 }, () => hostileRow), totalCount: 100_000 }),
};

describe('every rendered card passes validateCard', () => {
  const cards = { ...representative, 'hostile channelSignIn': hostile.channelSignIn, 'hostile reviewsList': hostile.reviewsList };
  it.each(Object.entries(cards))('%s', (_name, card) => {
    expect(validateCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('${');
    expect(card.version).toBe('1.5');
  });
});

describe('user and Graph text is rendered literally', () => {
  const [firstRow] = ofType(hostile.reviewsList, 'Container');

  it('puts display names in TextRuns, which Adaptive Cards never read as markdown', () => {
    const runs = ofType(firstRow, 'TextRun').map(textOf);
    expect(runs[0].startsWith(escapeCardText(HOSTILE))).toBe(true);
    expect(unescapeCardText(runs[0]).startsWith(HOSTILE)).toBe(true);
    expect(ofType(firstRow, 'TextBlock')).toEqual([]);
  });

  it('neutralizes ${ and {{ with an invisible word joiner only', () => {
    expect(escapeCardText('a ${x} {{DATE(x)}} ${{y}} {{{z')).toBe('a $\u2060{x} {\u2060{DATE(x)}} $\u2060{\u2060{y}} {\u2060{\u2060{z');
    expect(unescapeCardText(escapeCardText(HOSTILE))).toBe(HOSTILE);
    expect(escapeCardText('plain **markdown** "text"')).toBe('plain **markdown** "text"');
    expect(allText(hostile.reviewsList)).not.toMatch(/\{\{|\$\{/);
  });

  it('clips very long values so the card stays small', () => {
    expect(Buffer.byteLength(JSON.stringify(hostile.reviewsList))).toBeLessThan(28 * 1024);
    expect(texts(firstRow).every((text) => text.length <= 300)).toBe(true);
  });

  it('keeps action data recoverable: unescapeCardText gives back the original command', () => {
    const [action] = executes(hostile.channelSignIn);
    expect(unescapeCardText(action.data?.command ?? '')).toBe(`summary "${HOSTILE}"`);
    expect(action.data?.verb).toBe(REVIEWS_LIST);
  });
});

describe('welcome card', () => {
  it.each([
    ['personal', 'without leaving Teams'],
    ['groupChat', 'this chat'],
    ['channel', 'this channel'],
  ] as const)('speaks to the %s scope only', (scope, phrase) => {
    const card = renderWelcomeCard({ scope, commands: [{ command: 'reviews', description: 'list them' }] });
    expect(allText(card)).toContain(phrase);
    // Its own intro and closing line; the other scopes' containers are dropped.
    expect(ofType(card, 'Container')).toHaveLength(2);
    expect(texts(card)).toEqual(expect.arrayContaining(['reviews', 'list them']));
  });

  it('has a Help button with an Action.Submit fallback carrying the same data', () => {
    const [help] = executes(renderWelcomeCard({ scope: 'personal', commands: [] }));
    expect(help).toMatchObject({ verb: HELP, title: 'Help', data: { verb: HELP } });
    expect(help.fallback).toEqual({ type: 'Action.Submit', title: 'Help', data: { verb: HELP } });
  });
});

describe('help card', () => {
  it.each(SCOPES)('lists exactly the rows it is given, in their order, in %s', (scope) => {
    expect(monospace(helpCard(scope))).toEqual(HELP_ROWS.flatMap((group) => group.commands.map((entry) => entry.command)));
  });

  it('groups commands in the given order with one description line each', () => {
    const card = helpCard('channel');
    const groups = ofType(card, 'Container').map((container) => textOf(container.items?.[0]));
    expect(groups).toEqual(['Create', 'Read', 'Account']);
    for (const block of ofType(card, 'RichTextBlock')) expect(textOf(block.inlines?.[1])).toMatch(/^ — \S/);
  });

  it('shows no empty group and renders hostile text inert', () => {
    const card = helpCard('personal', [{ name: HOSTILE, commands: [{ command: HOSTILE, description: LONG }] }]);
    expect(JSON.stringify(card)).not.toContain('${x}');
    expect(ofType(card, 'Container')).toHaveLength(1);
  });

  it.each([
    ['personal', [REVIEWS_LIST, SIGN_OUT]],
    ['groupChat', [REVIEWS_LIST]],
    ['channel', [REVIEWS_LIST]],
  ] as const)('shows the right buttons in %s', (scope, verbs) => {
    const card = helpCard(scope);
    expect(executes(card).map((action) => action.verb)).toEqual(verbs);
    for (const action of executes(card)) expect(action.fallback?.data).toEqual(action.data);
  });
});

describe('channel sign-in card', () => {
  it('takes the button title, verb and data from its data', () => {
    const card = representative.channelSignIn;
    const [action] = executes(card);
    expect(action).toMatchObject({ title: 'Show active reviews', verb: REVIEWS_LIST, data: { command: 'reviews active', verb: REVIEWS_LIST } });
    expect(action.fallback).toEqual({ type: 'Action.Submit', title: 'Show active reviews', data: action.data });
    expect(allText(card)).toContain('Teams signs you in silently');
  });

  it('refuses a verb outside ALL_VERBS', () => {
    const data = { title: 'x', verb: 'nope' as typeof HELP, data: {} };
    expect(() => renderChannelSignInCard(data)).toThrow(/unknown verb nope/);
  });
});

describe('reviews list card', () => {
  const rowsOf = (card: AdaptiveCardJson): Node[] => ofType(card, 'Container');

  it('shows up to 10 rows and says "and N more"', () => {
    const card = renderReviewsListCard({ filter: 'active', reviews: Array.from({ length: 15 }, (_, i) => row(i)) });
    expect(rowsOf(card)).toHaveLength(10);
    expect(allText(card)).toContain('and 5 more');
    expect(allText(card)).toContain('Showing 10 of 15 active access reviews');
  });

  it('counts beyond the page it was given when totalCount says so', () => {
    const card = hostile.reviewsList;
    expect(rowsOf(card)).toHaveLength(10);
    expect(allText(card)).toContain('and 99990 more');
  });

  it('has no "more" line at exactly 10 rows', () => {
    const card = renderReviewsListCard({ filter: 'all', reviews: Array.from({ length: 10 }, (_, i) => row(i)) });
    expect(rowsOf(card)).toHaveLength(10);
    expect(allText(card)).not.toContain('more');
  });

  it('shows each row: name, what is reviewed, status, recurrence', () => {
    const [first] = rowsOf(representative.reviewsList);
    expect(ofType(first, 'TextRun').map(textOf)).toEqual(['Review 1', 'Guests of Sales', ' · ', 'In progress', ' · ', 'Quarterly']);
  });

  it('says so when nothing matches', () => {
    expect(rowsOf(representative.reviewsListEmpty)).toEqual([]);
    expect(allText(representative.reviewsListEmpty)).toContain('No completed access reviews found.');
  });
});

describe('verbs', () => {
  const templateVerbs = readdirSync(CARDS_DIR)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => nodes(JSON.parse(readFileSync(join(CARDS_DIR, file), 'utf8'))))
    .flatMap((node) => [node.type === 'Action.Execute' ? node.verb : undefined, node.type === 'Action.Submit' ? node.data?.verb : undefined])
    .filter((verb): verb is string => typeof verb === 'string' && !verb.startsWith('${'));

  // The confirmation card's buttons are data (`${verb}`): the stop / apply / reset / delete card is where its verbs are written.
  const confirmationVerbs = executes(renderConfirmActionCard({
    confirmationId: '00000000-0000-4000-8000-000000000000', revision: 1, title: 'stop: the current run ends now', lines: [], warnings: [], problems: [],
    act: { title: 'Stop the run', verb: REVIEW_ACTION_CONFIRM }, canAct: true, actNote: 'Nothing changes until you press Stop the run.',
    cancel: { title: 'Cancel', verb: REVIEW_ACTION_CANCEL },
  })).map((action) => String(action.verb));
  // The `edit` confirmation (same card, its own verbs: bot/features/edit.ts).
  const editVerbs = executes(renderConfirmActionCard({
    confirmationId: '00000000-0000-4000-8000-000000000000', revision: 1, title: 'Change "Sales"?', lines: [{ label: 'Duration', value: '14 days → 21 days' }],
    warnings: [], problems: [], act: { title: 'Save changes', verb: REVIEW_EDIT_CONFIRM }, canAct: true, actNote: 'Nothing changes until you press Save changes.',
    cancel: { title: 'Cancel', verb: REVIEW_EDIT_CANCEL },
  })).map((action) => String(action.verb));
  // Commands replayed from a choice of reviews (`${$root.verb}` in reviewChoice.json): stop, remind, apply, reset, delete.
  const choiceVerbs = ([REVIEW_STOP, REVIEW_REMIND, REVIEW_APPLY, REVIEW_RESET, REVIEW_DELETE] as const).flatMap((verb) => executes(renderReviewChoiceCard({
    title: '2 reviews match', text: 'Which one?', verb, more: 0, choices: [{ title: 'Sales · In progress', id: '00000000-0000-4000-8000-000000000001' }],
  })).map((action) => String(action.verb)));

  // A command with no card of its own but a sign-in card in channels (Continue as me replays it): subscribe.
  const channelSignInVerbs = ([DIGEST_SUBSCRIBE, DIGEST_UNSUBSCRIBE] as const).flatMap((verb) => executes(renderChannelSignInCard({ title: 'Continue as me', verb, data: { args: 'all' } })).map((action) => String(action.verb)));

  it('every verb in cards/*.json is in ALL_VERBS and every verb in ALL_VERBS is used', () => {
    expect(new Set([...templateVerbs, ...confirmationVerbs, ...editVerbs, ...choiceVerbs, ...channelSignInVerbs])).toEqual(new Set(ALL_VERBS));
  });

  it('every Action.Execute in the rendered cards has an Action.Submit fallback with the same data', () => {
    for (const card of Object.values(representative)) {
      for (const action of executes(card)) expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: action.data });
    }
  });
});

describe('render guard', () => {
  const template = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello ${name}, ${missing}' }] };

  it('throws naming a binding the data did not fill', () => {
    expect(() => expandTemplate('test', template, { name: 'Ada' })).toThrow(/\$\{missing\}/);
  });

  it('throws for a missing $data list whose items have bindings', () => {
    const listTemplate = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', $data: '${rows}', text: '${name}' }] };
    expect(() => expandTemplate('test', listTemplate, {})).toThrow(/binding \$\{/);
  });

  it('does not mistake a ${ inside user data for a leftover binding', () => {
    const card = expandTemplate('test', template, { name: '${missing}', missing: 'x' });
    expect(card.body).toEqual([{ type: 'TextBlock', text: 'Hello $\u2060{missing}, x' }]);
  });
});

describe('validateCard', () => {
  const base = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] };

  it.each([
    ['version above 1.5', { ...base, version: '1.6' }, /version 1.6 is above 1.5/],
    ['unknown element', { ...base, body: [{ type: 'Fancy' }] }, /Unknown element type "Fancy"/],
    ['leftover binding', { ...base, body: [{ type: 'TextBlock', text: '${x}' }] }, /unexpanded binding \$\{x\}/],
    ['oversized card', { ...base, body: [{ type: 'TextBlock', text: 'x'.repeat(29 * 1024) }] }, /over 28672/],
    ['unknown verb', { ...base, actions: [{ type: 'Action.Execute', title: 'x', verb: 'nope' }] }, /verb "nope" is not in ALL_VERBS/],
    ['missing verb', { ...base, actions: [{ type: 'Action.Execute', title: 'x' }] }, /verb undefined is not in ALL_VERBS/],
    ['unknown fallback verb', { ...base, actions: [{ type: 'Action.Submit', title: 'x', data: { verb: 'nope' } }] }, /data.verb "nope"/],
    ['validation failure', { ...base, body: [{ type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }] }, /Duplicate Id "a"/],
  ])('reports a %s', (_name, card, problem) => {
    expect(validateCard(card).join('\n')).toMatch(problem);
  });
});
