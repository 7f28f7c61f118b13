import {
  CONFIRMATION_LIMITS,
  escapeCardText,
  MAX_WIZARD_CHOICES,
  renderConfirmationCard,
  renderCreatedCard,
  renderCreateFailedCard,
  renderSettingsFormCard,
  renderWizardChoiceCard,
  unescapeCardText,
  type AdaptiveCardJson,
  type ConfirmationCardData,
  type SettingsFormCardData,
} from '../../cards/index';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../cards/verbs';
import { DEFAULT_OPTIONS } from '../../reviews/settings';
import { nodes, ofType, type Node } from './cardNodes';

const HOSTILE = 'Sales ${x} **bold** _it_ [link](https://evil.example) "quoted" <b>tag</b> {{DATE(2024-01-01T00:00:00Z, SHORT)}}';
const NAME_256 = `${HOSTILE} ${'N'.repeat(256 - HOSTILE.length - 1)}`;
const LONG = 'L'.repeat(20_000);
/** Three UTF-8 bytes a character and a `{{` pair every two: the worst case for bytes per clipped character. */
const WIDE = '界{{'.repeat(7_000);

const byId = (card: unknown, id: string): Node | undefined => nodes(card).find((node) => node.id === id);
const runs = (card: unknown): string[] => ofType(card, 'TextRun').map((run) => run.text ?? '');
const blocks = (card: unknown): string[] => ofType(card, 'TextBlock').map((block) => block.text ?? '');
const executes = (card: unknown): Node[] => ofType(card, 'Action.Execute');
/** Submit buttons of the card itself, not the fallbacks of its Execute buttons. */
const submits = (card: unknown): Node[] => {
  const fallbacks = new Set(executes(card).map((action) => action.fallback));
  return ofType(card, 'Action.Submit').filter((action) => !fallbacks.has(action));
};
/** Titles of the card's own buttons, in order. */
const titles = (card: AdaptiveCardJson): string[] => (Array.isArray(card.actions) ? (card.actions as Node[]) : []).map((action) => action.title ?? '');
const bytes = (card: AdaptiveCardJson): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

const settingsData = (overrides: Partial<SettingsFormCardData> = {}): SettingsFormCardData => ({
  stepId: 'settings',
  options: DEFAULT_OPTIONS,
  name: 'Guests of Sales Team – quarterly',
  descriptionForReviewers: 'Please confirm who still needs access.',
  isGuestScope: true,
  isDynamicGroup: false,
  ...overrides,
});

const confirmationData = (overrides: Partial<ConfirmationCardData> = {}): ConfirmationCardData => ({
  confirmationId: 'c-7f3a',
  revision: 3,
  title: 'Create this access review?',
  lines: [
    { label: 'What', value: 'Guests of Sales Team' },
    { label: 'Reviewers', value: 'Group owners (fallback: Ada Lovelace)' },
    { label: 'When', value: 'Quarterly from 2025-07-01, 14 days each' },
  ],
  impact: { principals: '42 (40 members, 2 guests)', guests: '2', reviewers: '3 owners' },
  warnings: ['You are in scope of this review.'],
  canCreate: true,
  problems: [],
  ...overrides,
});

const line = (index: number, text: string): { label: string; value: string } => ({ label: `${text} ${index}`, value: text });

const representative: Record<string, AdaptiveCardJson> = {
  wizardChoice: renderWizardChoiceCard({
    stepId: 'scope',
    title: 'What do you want to review?',
    text: 'Pick one, or type it.',
    choices: [
      { title: 'Members of a group', value: 'members' },
      { title: 'Guests of a group', value: 'guests' },
      { title: 'Guests in all Microsoft 365 groups', value: 'allGroupsGuests' },
      { title: 'Inactive users of a group', value: 'inactive' },
      { title: 'Back', value: 'back' },
      { title: 'Cancel', value: 'cancel' },
    ],
    hint: 'Type cancel, back or help at any time.',
  }),
  settingsForm: renderSettingsFormCard(settingsData()),
  confirmation: renderConfirmationCard(confirmationData()),
  created: renderCreatedCard({ name: 'Guests of Sales Team', id: '2a7a4ed2-8ad1-4b23-9a0c-42cb3e4c0a01', status: 'NotStarted', firstRun: '1 July 2025', link: 'https://entra.microsoft.com/#view/Microsoft_AAD_ERM/DashboardBlade' }),
  createFailed: renderCreateFailedCard({ title: 'The review was not created', reason: 'Microsoft Graph refused the reviewers: a fallback reviewer is required.', changeStep: 'reviewers', confirmationId: 'c-7f3a', revision: 3 }),
};

const hostile: Record<string, AdaptiveCardJson> = {
  wizardChoice: renderWizardChoiceCard({
    stepId: 'group',
    title: NAME_256,
    text: `I found these groups for "${HOSTILE}": ${LONG}`,
    choices: Array.from({ length: MAX_WIZARD_CHOICES }, (_, i) => ({ title: `${NAME_256} ${i}`, value: `${HOSTILE} ${i}` })),
    hint: HOSTILE + LONG,
    problem: HOSTILE + LONG,
  }),
  settingsForm: renderSettingsFormCard(settingsData({ name: NAME_256 + LONG, descriptionForReviewers: HOSTILE + LONG, hint: LONG, problem: LONG })),
  confirmation: renderConfirmationCard(confirmationData({
    title: NAME_256,
    lines: Array.from({ length: 40 }, (_, i) => line(i, NAME_256)),
    warnings: Array.from({ length: 10 }, () => NAME_256),
    problems: [HOSTILE],
    canCreate: true,
  })),
  confirmationExtreme: renderConfirmationCard(confirmationData({
    title: WIDE,
    lines: Array.from({ length: 100 }, (_, i) => line(i, WIDE)),
    impact: { principals: WIDE, guests: WIDE, reviewers: WIDE },
    warnings: Array.from({ length: 50 }, () => WIDE),
    problems: Array.from({ length: 50 }, () => WIDE),
  })),
  created: renderCreatedCard({ name: NAME_256 + LONG, id: LONG, status: HOSTILE + LONG, firstRun: HOSTILE + LONG, link: `https://entra.microsoft.com/#${LONG}` }),
  createdAlready: renderCreatedCard({
    alreadyCreated: true, notice: HOSTILE + LONG, name: WIDE, id: LONG, status: WIDE, firstRun: WIDE, link: `https://entra.microsoft.com/#${LONG}`,
    settings: Array.from({ length: 100 }, (_, i) => line(i, WIDE)), followUp: { command: 'reviews', where: 'personalChat' },
  }),
  createFailed: renderCreateFailedCard({ title: HOSTILE + LONG, reason: HOSTILE + LONG, changeStep: 'schedule', changeLabel: HOSTILE + LONG, canRetry: true, confirmationId: HOSTILE, revision: 3 }),
};

describe('every creation card passes validateCard', () => {
  const cards = {
    ...representative,
    ...Object.fromEntries(Object.entries(hostile).map(([name, card]) => [`hostile ${name}`, card])),
  };
  it.each(Object.entries(cards))('%s', (_name, card) => {
    expect(validateCard(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});

describe('user text is rendered literally', () => {
  it.each(Object.entries(hostile))('%s: user text only in TextRuns, action titles and input values (no markdown)', (_name, card) => {
    for (const text of blocks(card)) expect(text).not.toContain('Sales');
  });

  it('keeps ${ and {{ inert and recoverable', () => {
    const card = hostile.wizardChoice;
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\{\{/);
    expect(runs(card)[0]).toBe(escapeCardText(NAME_256));
    expect(unescapeCardText(submits(card)[0].data?.choice ?? '')).toBe(`${HOSTILE} 0`);
  });

  it('clips a 20,000-character name to the form field length', () => {
    const name = byId(hostile.settingsForm, 'name');
    expect(unescapeCardText(name?.value ?? '')).toBe(`${NAME_256.slice(0, 255)}…`);
    expect(name).toMatchObject({ maxLength: 256, isRequired: true });
  });

  it('shrinks the confirmation card until it fits, and says what it left out', () => {
    const card = hostile.confirmationExtreme;
    expect(bytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(blocks(card)).toEqual(expect.arrayContaining(['…and 60 more settings', '…and 40 more warnings', '…and 40 more']));
  });

  it('keeps 256-character values whole when 40 lines and 10 warnings fit', () => {
    const card = renderConfirmationCard(confirmationData({ lines: Array.from({ length: 40 }, (_, i) => ({ label: `Setting ${i}`, value: 'x'.repeat(256) })), warnings: Array.from({ length: 10 }, () => 'w'.repeat(256)) }));
    expect(validateCard(card)).toEqual([]);
    expect(runs(card)).toContain('x'.repeat(256));
  });
});

describe('wizard choice card', () => {
  it('has one Submit button per choice, each with { wizard, choice }', () => {
    const buttons = submits(representative.wizardChoice);
    expect(buttons.map((button) => button.title)).toEqual(['Members of a group', 'Guests of a group', 'Guests in all Microsoft 365 groups', 'Inactive users of a group', 'Back', 'Cancel']);
    expect(buttons.map((button) => button.data)).toContainEqual({ wizard: 'scope', choice: 'allGroupsGuests' });
    for (const button of buttons) expect(Object.keys(button.data ?? {}).sort()).toEqual(['choice', 'wizard']);
    expect(ofType(representative.wizardChoice, 'ActionSet').every((set) => set.actions?.length === 1)).toBe(true);
  });

  it('shows the problem in attention colour, and nothing when there is none', () => {
    const withProblem = renderWizardChoiceCard({ stepId: 'inactiveDays', title: 'Inactive for how many days?', text: 'Type a number.', choices: [], problem: 'Type a number from 1 to 730.' });
    expect(ofType(withProblem, 'TextRun').find((run) => run.text === 'Type a number from 1 to 730.')?.color).toBe('Attention');
    expect(ofType(withProblem, 'ActionSet')).toEqual([]);
    expect(validateCard(withProblem)).toEqual([]);
    expect(runs(representative.wizardChoice).filter((text) => text === '')).toEqual([]);
    expect(ofType(representative.wizardChoice, 'TextRun').some((run) => run.color === 'Attention')).toBe(false);
  });

  it('refuses too many choices and over-long values (they are ids, never clipped)', () => {
    const choices = Array.from({ length: MAX_WIZARD_CHOICES + 1 }, (_, i) => ({ title: `${i}`, value: `${i}` }));
    expect(() => renderWizardChoiceCard({ stepId: 's', title: 't', text: '', choices })).toThrow(/at most 12/);
    expect(() => renderWizardChoiceCard({ stepId: 's', title: 't', text: '', choices: [{ title: 'x', value: 'v'.repeat(257) }] })).toThrow(/longer than 256/);
  });
});

describe('settings form', () => {
  const options = { justificationRequired: false, showRecommendations: true, defaultDecision: 'recommendation', autoApply: true, deniedGuests: 'blockThenDelete', mailNotifications: false, reminders: true } as const;
  const card = renderSettingsFormCard(settingsData({ options }));

  it('carries the initial values: toggles as "true"/"false", choice sets as their value', () => {
    for (const id of ['justificationRequired', 'showRecommendations', 'autoApply', 'mailNotifications', 'reminders'] as const) {
      expect(byId(card, id)).toMatchObject({ type: 'Input.Toggle', value: String(options[id]), valueOn: 'true', valueOff: 'false' });
    }
    expect(byId(card, 'defaultDecision')).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact', value: 'recommendation' });
    expect(byId(card, 'deniedGuests')).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact', value: 'blockThenDelete' });
    expect(byId(card, 'name')).toMatchObject({ type: 'Input.Text', value: 'Guests of Sales Team – quarterly', maxLength: 256, isRequired: true });
    expect(byId(card, 'descriptionForReviewers')).toMatchObject({ type: 'Input.Text', isMultiline: true, maxLength: 256, value: 'Please confirm who still needs access.' });
  });

  it('offers the product choices for no response and denied guests', () => {
    const choices = (id: string): string[] => nodes(byId(card, id)?.choices).map((choice) => choice.title ?? '');
    expect(choices('defaultDecision')).toEqual(['No change', 'Approve', 'Deny', 'Take recommendations']);
    expect(choices('deniedGuests')).toEqual(['Remove from the group', 'Block sign-in, delete after 30 days']);
  });

  it('asks about denied guests only for guest scopes', () => {
    const members = renderSettingsFormCard(settingsData({ isGuestScope: false }));
    expect(byId(members, 'deniedGuests')).toBeUndefined();
    expect(validateCard(members)).toEqual([]);
  });

  it('shows auto-apply as off with a note for dynamic groups', () => {
    const dynamic = renderSettingsFormCard(settingsData({ options, isDynamicGroup: true }));
    expect(byId(dynamic, 'autoApply')).toBeUndefined();
    expect(blocks(dynamic)).toContain('Apply results automatically: off');
    expect(blocks(dynamic).some((text) => text.includes('dynamic group'))).toBe(true);
    expect(blocks(card).some((text) => text.includes('dynamic group'))).toBe(false);
    expect(validateCard(dynamic)).toEqual([]);
  });

  it('has Next, Back and Cancel Submit buttons with { wizard, choice }; only Next sends the inputs', () => {
    const buttons = submits(card);
    expect(buttons.map((button) => [button.title, button.data])).toEqual([
      ['Next', { wizard: 'settings', choice: 'next' }],
      ['Back', { wizard: 'settings', choice: 'back' }],
      ['Cancel', { wizard: 'settings', choice: 'cancel' }],
    ]);
    expect(buttons.map((button) => button.associatedInputs)).toEqual([undefined, 'none', 'none']);
  });
});

describe('confirmation card', () => {
  it('shows every line, the impact and the warnings in attention colour', () => {
    const card = representative.confirmation;
    expect(runs(card)).toEqual(expect.arrayContaining(['What', 'Guests of Sales Team', 'Reviewers', 'Group owners (fallback: Ada Lovelace)', 'In scope now', '42 (40 members, 2 guests)', 'Guests', '3 owners']));
    expect(blocks(card)).toContain('Impact');
    expect(ofType(card, 'TextRun').find((run) => run.text === 'You are in scope of this review.')?.color).toBe('Attention');
  });

  it('has Create, Change a setting and Cancel as Action.Execute with { verb, confirmationId } and a matching Submit fallback', () => {
    const card = representative.confirmation;
    expect(executes(card).map((action) => [action.title, action.verb])).toEqual([['Create', REVIEW_CREATE], ['Change a setting', REVIEW_CHANGE], ['Cancel', REVIEW_CANCEL]]);
    for (const action of executes(card)) {
      expect(action.data).toEqual({ verb: action.verb, confirmationId: 'c-7f3a', revision: 3 });
      expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: action.data });
    }
  });

  it.each([
    ['canCreate is false', { canCreate: false }],
    ['there are problems', { problems: ['Pick at least one reviewer.'] }],
  ])('hides Create when %s', (_name, overrides) => {
    const card = renderConfirmationCard(confirmationData(overrides));
    expect(titles(card)).not.toContain('Create');
    expect(titles(card)).toEqual(['Change a setting', 'Cancel']);
    expect(validateCard(card)).toEqual([]);
  });

  it('lists the problems', () => {
    const card = renderConfirmationCard(confirmationData({ problems: ['Pick at least one reviewer.', 'The duration must fit in one quarter.'] }));
    expect(blocks(card)).toContain('Fix these before creating the review:');
    expect(runs(card)).toEqual(expect.arrayContaining(['Pick at least one reviewer.', 'The duration must fit in one quarter.']));
    expect(blocks(representative.confirmation)).not.toContain('Fix these before creating the review:');
  });

  it(`shows at most ${CONFIRMATION_LIMITS.lines} lines`, () => {
    const card = renderConfirmationCard(confirmationData({ lines: Array.from({ length: 45 }, (_, i) => line(i, 'v')) }));
    expect(runs(card)).toContain('v 39');
    expect(runs(card)).not.toContain('v 40');
    expect(blocks(card)).toContain('…and 5 more settings');
  });
});

describe('created card', () => {
  it('shows name, status, first run and id, and opens the review in the Entra admin center', () => {
    const card = representative.created;
    expect(runs(card)).toEqual(['Guests of Sales Team', 'NotStarted', '1 July 2025', '2a7a4ed2-8ad1-4b23-9a0c-42cb3e4c0a01']);
    expect(ofType(card, 'Action.OpenUrl')).toEqual([{ type: 'Action.OpenUrl', title: 'Open in the Entra admin center', url: 'https://entra.microsoft.com/#view/Microsoft_AAD_ERM/DashboardBlade' }]);
  });

  // Issue 10, items 3 and 12.
  it('points to a command of the catalogue, here or in personal chat, and to none when there is none', () => {
    const data = { name: 'n', id: 'i', status: 'Starts within minutes', firstRun: 'f', link: '' };
    expect(blocks(renderCreatedCard({ ...data, followUp: { command: 'reviews', where: 'here' } })).at(-1))
      .toBe('Type **reviews** to see it among your reviews, with its status.');
    expect(blocks(renderCreatedCard({ ...data, followUp: { command: 'reviews', where: 'personalChat' } })).at(-1))
      .toBe('Type **reviews** in personal chat with me to see it among your reviews, with its status.');
    expect(blocks(renderCreatedCard(data)).join(' ')).not.toMatch(/Type|show/);
    expect(() => renderCreatedCard({ ...data, followUp: { command: 'show **x**', where: 'here' } })).toThrow(/not a command phrase/);
  });

  it('already created: says so instead of "created", with the notice and the settings it was created with', () => {
    const card = renderCreatedCard({ alreadyCreated: true, notice: 'This card showed an earlier version.', name: 'Finance review', id: 'd-1',
      status: 'Starts within minutes', firstRun: 'Monday 2 June 2025', link: '', settings: [{ label: 'Group', value: 'All Staff' }] });
    expect(blocks(card)[0]).toBe('This review was already created');
    expect(blocks(card)).not.toContain('Access review created');
    expect(runs(card)).toEqual(['This card showed an earlier version.', 'Finance review', 'Starts within minutes', 'Monday 2 June 2025', 'd-1', 'Group', 'All Staff']);
    expect(blocks(representative.created)[0]).toBe('Access review created');
  });

  it('shows at most 20 settings, so any review fits in 28 KB', () => {
    expect(runs(hostile.createdAlready).filter((run) => run.startsWith('界'))).toHaveLength(3 + 2 * 20);
  });

  it.each([['too long', hostile.created], ['not http(s)', renderCreatedCard({ name: 'n', id: 'i', status: 's', firstRun: 'f', link: 'javascript:alert(1)' })]])(
    'leaves the button out when the link is %s',
    (_name, card) => {
      expect(ofType(card, 'Action.OpenUrl')).toEqual([]);
      expect(validateCard(card)).toEqual([]);
    },
  );
});

describe('create failed card', () => {
  it('offers Change <setting> with the step, and Cancel, as Action.Execute with confirmationId', () => {
    const card = representative.createFailed;
    expect(runs(card)).toEqual(['The review was not created', 'Microsoft Graph refused the reviewers: a fallback reviewer is required.']);
    expect(executes(card).map((action) => [action.title, action.verb, action.data])).toEqual([
      ['Change reviewers', REVIEW_CHANGE, { verb: REVIEW_CHANGE, confirmationId: 'c-7f3a', revision: 3, step: 'reviewers' }],
      ['Cancel', REVIEW_CANCEL, { verb: REVIEW_CANCEL, confirmationId: 'c-7f3a', revision: 3 }],
    ]);
    for (const action of executes(card)) expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: action.data });
  });

  it('has only Cancel when no setting is named, and Try again when the failure may pass', () => {
    const plain = renderCreateFailedCard({ title: 'Not created', reason: 'Microsoft Graph is busy.', confirmationId: 'c1', revision: 3 });
    expect(titles(plain)).toEqual(['Cancel']);
    const retry = renderCreateFailedCard({ title: 'Not created', reason: 'Microsoft Graph is busy.', canRetry: true, confirmationId: 'c1', revision: 3 });
    expect(executes(retry).map((action) => [action.title, action.verb, action.data])).toEqual([
      ['Try again', REVIEW_CREATE, { verb: REVIEW_CREATE, confirmationId: 'c1', revision: 3 }],
      ['Cancel', REVIEW_CANCEL, { verb: REVIEW_CANCEL, confirmationId: 'c1', revision: 3 }],
    ]);
  });

  it('names the setting with changeLabel when given', () => {
    const card = renderCreateFailedCard({ title: 't', reason: 'r', changeStep: 'schedule', changeLabel: 'the duration', confirmationId: 'c1', revision: 3 });
    expect(titles(card)).toEqual(['Change the duration', 'Cancel']);
  });
});

describe('every button of the creation cards', () => {
  const all = [...Object.values(representative), ...Object.values(hostile)];

  it('wizard Submit buttons carry wizard and choice', () => {
    for (const card of all) {
      for (const button of submits(card)) expect(button.data).toEqual(expect.objectContaining({ wizard: expect.any(String), choice: expect.any(String) }));
    }
  });

  it('Execute buttons carry confirmationId, and their fallbacks the same data', () => {
    for (const card of all) {
      for (const action of executes(card)) {
        expect(typeof action.data?.confirmationId).toBe('string');
        expect(action.fallback).toMatchObject({ type: 'Action.Submit', data: action.data });
      }
    }
  });
});
