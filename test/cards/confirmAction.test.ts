import { renderConfirmActionCard, type AdaptiveCardJson, type ConfirmActionCardData } from '../../cards/index';
import { MAX_CARD_BYTES, validateCard } from '../../cards/validate';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from '../../cards/verbs';
import { ofType, type Node } from './cardNodes';

/**
 * The one confirm-then-act card (issue 8, item 2): any pending action — creation today; stop, apply, reset and
 * delete next — is shown with the same template, and every button carries the pending action's id and revision.
 */

const HOSTILE = 'Sales ${x} **bold** [link](https://evil.example) {{DATE(2024-01-01T00:00:00Z, SHORT)}}';

/** An action with no details block and no extra buttons, as a "stop this review?" card would be. */
const minimal = (overrides: Partial<ConfirmActionCardData> = {}): ConfirmActionCardData => ({
  confirmationId: 'p-91', revision: 2, title: 'Stop "Sales Team guests"?',
  lines: [{ label: 'Review', value: 'Sales Team guests' }, { label: 'Status', value: 'In progress' }],
  warnings: ['Reviewers can no longer decide.'], problems: [],
  act: { title: 'Create', verb: REVIEW_CREATE }, canAct: true, actNote: 'Nothing changes until you press Create.',
  cancel: { title: 'Keep it', verb: REVIEW_CANCEL },
  ...overrides,
});

const actions = (card: AdaptiveCardJson): Node[] => (Array.isArray(card.actions) ? card.actions as Node[] : []);
const texts = (card: AdaptiveCardJson): string[] => [...ofType(card, 'TextRun'), ...ofType(card, 'TextBlock')].map((node) => node.text ?? '');

test('the act button, then the others, then cancel; each an Action.Execute with { verb, confirmationId, revision } and a Submit fallback', () => {
  const card = renderConfirmActionCard(minimal({ others: [{ title: 'Change a setting', verb: REVIEW_CHANGE }] }));
  expect(validateCard(card)).toEqual([]);
  expect(actions(card).map((action) => [action.type, action.title, action.verb])).toEqual([
    ['Action.Execute', 'Create', REVIEW_CREATE], ['Action.Execute', 'Change a setting', REVIEW_CHANGE], ['Action.Execute', 'Keep it', REVIEW_CANCEL],
  ]);
  for (const action of actions(card)) {
    expect(action.data).toEqual({ verb: action.verb, confirmationId: 'p-91', revision: 2 });
    expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: action.data });
  }
});

test('no details block when there is none; the act note only while it can act', () => {
  const card = renderConfirmActionCard(minimal());
  expect(texts(card)).toEqual(expect.arrayContaining(['Stop "Sales Team guests"?', 'Status', 'In progress', 'Reviewers can no longer decide.', 'Nothing changes until you press Create.']));
  expect(texts(card)).not.toContain('Impact');
  const blocked = renderConfirmActionCard(minimal({ canAct: false }));
  expect(actions(blocked).map((action) => action.title)).toEqual(['Keep it']);
  expect(texts(blocked)).not.toContain('Nothing changes until you press Create.');
});

test('closed with its outcome: what it showed, the outcome line, no buttons and no act note', () => {
  const card = renderConfirmActionCard(minimal({ outcome: 'Stopped the current run of "Sales Team guests": reviewers can no longer answer.' }));
  expect(validateCard(card)).toEqual([]);
  expect(actions(card)).toEqual([]);
  expect(texts(card)).toEqual(expect.arrayContaining(['Stop "Sales Team guests"?', 'In progress', 'Stopped the current run of "Sales Team guests": reviewers can no longer answer.']));
  expect(texts(card)).not.toContain('Nothing changes until you press Create.');
});

test('a problem hides the act button even when it could act, and is listed', () => {
  const card = renderConfirmActionCard(minimal({ problems: ['The review has already ended.'] }));
  expect(actions(card).map((action) => action.title)).toEqual(['Keep it']);
  expect(texts(card)).toEqual(expect.arrayContaining(['This cannot be done yet:', 'The review has already ended.']));
});

test('hostile text stays text and the card fits in 28 KB', () => {
  const long = `${HOSTILE}${'界'.repeat(5000)}`;
  const card = renderConfirmActionCard(minimal({
    title: long, notice: long, lines: Array.from({ length: 60 }, () => ({ label: long, value: long })),
    details: { title: long, lines: [{ label: long, value: long }] }, warnings: Array.from({ length: 30 }, () => long),
  }));
  expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(validateCard(card)).toEqual([]);
  expect(JSON.stringify(card)).not.toContain('${x}');
});

test('an over-long confirmation id is a bug, not clipped', () => {
  expect(() => renderConfirmActionCard(minimal({ confirmationId: 'x'.repeat(257) }))).toThrow(/confirmationId/);
});
