import { settingsFromState, stateFromSettings } from '../../../bot/dialogs/wizard/createReviewDialog';
import type { WizardContext, WizardState } from '../../../bot/dialogs/wizard/wizardState';
import { REVIEW_CHANGE } from '../../../cards/verbs';
import { completeSettings } from '../../../reviews/defaults';
import { impactPreview, warningText } from '../../../reviews/impact';
import type { GroupRef, ReviewSettings, UserRef } from '../../../reviews/settings';
import { IDS } from '../../support/fakeGraph';
import { cardTexts, PEOPLE, TODAY, type BotHarness } from '../support/botHarness';
import { adminBot, answers, buttonsByVerb, GROUPS, lastCard, rowOf, submit, warningsOf } from './adminTenant';

/**
 * Issue 10, item 2: after "Change a setting → The group" from Finance Apps to All Staff the card still said
 * "Finance Apps inactive members (90 days) – quarterly review" and "These members of Finance Apps…", so reviewers
 * would have been mailed the wrong group. Generated texts follow every change (group, scope, frequency, inactivity)
 * until the requester writes their own; a text of their own is kept, and flagged when it names a group the review
 * no longer covers.
 */

const ADELE: UserRef = { id: IDS.adele, displayName: 'Adele Vance' };
const FINANCE_APPS: GroupRef = { id: GROUPS.financeApps, displayName: 'Finance Apps' };
const ALL_STAFF: GroupRef = { id: GROUPS.allStaff, displayName: 'All Staff' };
const CONTEXT: WizardContext = { scope: 'personal', requester: ADELE, today: TODAY };

/** The review of the issue: inactive members of Finance Apps (90 days), quarterly. */
const financeInactive = (extra: Partial<ReviewSettings> = {}): ReviewSettings => ({
  ...completeSettings({ scope: { kind: 'inactive', group: FINANCE_APPS, inactiveDays: 90 }, schedule: { frequency: 'quarterly' } }, ADELE, TODAY),
  ...extra,
});

/** "Change a setting": the draft's settings back into the wizard, one answer changed, and out again. */
const changed = (settings: ReviewSettings, change: (state: WizardState) => WizardState): ReviewSettings =>
  settingsFromState(change(stateFromSettings(settings)), CONTEXT);

describe('generated texts follow each change', () => {
  test('the group: name, description for reviewers and description for admins name All Staff', () => {
    const before = financeInactive();
    expect(before.name).toBe('Finance Apps inactive members (90 days) – quarterly review');
    const after = changed(before, (state) => ({ ...state, group: ALL_STAFF }));
    expect(after.name).toBe('All Staff inactive members (90 days) – quarterly review');
    expect(after.descriptionForReviewers).toBe('These members of All Staff have not signed in for 90 days or more. ' +
      'Please confirm who still needs access and deny the others.');
    expect(after.descriptionForAdmins).toContain(`All Staff (group ${GROUPS.allStaff})`);
    expect(JSON.stringify([after.name, after.descriptionForReviewers, after.descriptionForAdmins])).not.toContain('Finance');
  });

  test.each<[string, (state: WizardState) => WizardState, string, RegExp]>([
    ['what is reviewed', (state) => ({ ...state, scopeKind: 'guests' }), 'Finance Apps guests – quarterly review', /^Please confirm which guests still need access to Finance Apps\./],
    ['how often', (state) => ({ ...state, schedule: { ...state.schedule, frequency: 'monthly' } }), 'Finance Apps inactive members (90 days) – monthly review',
      /^These members of Finance Apps have not signed in for 90 days/],
    ['inactive for', (state) => ({ ...state, inactiveDays: 30 }), 'Finance Apps inactive members (30 days) – quarterly review',
      /^These members of Finance Apps have not signed in for 30 days/],
    ['to all groups', (state) => ({ scopeKind: 'allGroupsGuests', ...withoutGroup(state) }), 'Guests in all Microsoft 365 groups – quarterly review',
      /^This Microsoft 365 group has guests\./],
  ])('%s', (_what, change, name, description) => {
    const after = changed(financeInactive(), change);
    expect(after.name).toBe(name);
    expect(after.descriptionForReviewers).toMatch(description);
  });

  test('a change that changes nothing keeps the texts as they were', () => {
    expect(changed(financeInactive(), (state) => state)).toEqual(financeInactive());
  });
});

describe('a text the requester wrote is kept, and flagged when it names a group no longer reviewed', () => {
  test('own name, generated description: the name is kept and flagged, the description follows', () => {
    const after = changed(financeInactive({ name: 'Finance Apps dormant accounts, Q3' }), (state) => ({ ...state, group: ALL_STAFF }));
    expect(after.name).toBe('Finance Apps dormant accounts, Q3');
    expect(after.descriptionForReviewers).toMatch(/^These members of All Staff /);
    const warnings = impactPreview(after, { principals: 43, guests: 0, owners: 1, requesterInScope: true }).warnings;
    expect(warnings.map((warning) => warningText(warning, after)).filter((text) => text.includes('mentions'))).toEqual([
      'The name still mentions Finance Apps, but this review is now of All Staff. To change it: Change a setting → Settings and name.',
    ]);
  });

  test('own description: kept and flagged, since reviewers would read the wrong group in their mail', () => {
    const own = 'Finance Apps: check who still needs the ledger apps.';
    const after = changed(financeInactive({ descriptionForReviewers: own }), (state) => ({ ...state, group: ALL_STAFF }));
    expect(after.descriptionForReviewers).toBe(own);
    expect(after.name).toBe('All Staff inactive members (90 days) – quarterly review');
    const texts = impactPreview(after, { principals: 43, guests: 0, owners: 1, requesterInScope: true }).warnings.map((w) => warningText(w, after));
    expect(texts).toContain('The description for reviewers still mentions Finance Apps, but this review is now of All Staff: reviewers would ' +
      'read the wrong group in their mail. To change it: Change a setting → Settings and name.');
  });

  test('an own text that names no group, or names the group reviewed, is not flagged; a group changed twice is remembered', () => {
    const neutral = changed(financeInactive({ name: 'Dormant accounts, Q3' }), (state) => ({ ...state, group: ALL_STAFF }));
    expect(neutral.name).toBe('Dormant accounts, Q3');
    expect(impactPreview(neutral, { principals: 1, guests: 0, owners: 1, requesterInScope: false }).warnings).toEqual([]);
    const back = changed(changed(financeInactive({ name: 'Finance Apps dormant accounts' }), (state) => ({ ...state, group: ALL_STAFF })),
      (state) => ({ ...state, group: FINANCE_APPS }));
    expect(impactPreview(back, { principals: 1, guests: 0, owners: 1, requesterInScope: false }).warnings).toEqual([]);
    const sales: GroupRef = { id: IDS.sales, displayName: 'Sales Team' };
    const twice = changed(changed(financeInactive({ name: 'Finance Apps dormant accounts' }), (state) => ({ ...state, group: ALL_STAFF })),
      (state) => ({ ...state, group: sales }));
    expect(impactPreview(twice, { principals: 1, guests: 0, owners: 1, requesterInScope: false }).warnings.map((w) => warningText(w, twice)))
      .toEqual(['The name still mentions Finance Apps, but this review is now of Sales Team. To change it: Change a setting → Settings and name.']);
  });
});

describe('the whole bot: "Change a setting → The group" on the confirmation card', () => {
  let bot: BotHarness;
  beforeEach(() => {
    bot = adminBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  /** Quick create of the review, then Change a setting → The group → All Staff: the new confirmation card. */
  async function changeGroupToAllStaff(): Promise<Record<string, unknown> | undefined> {
    const card = lastCard(await answers(bot, 'review "Finance Apps" inactive 90 days quarterly'));
    expect(cardTexts(card)[0]).toBe('Finance Apps inactive members (90 days) – quarterly review');
    await bot.press(PEOPLE.adele, REVIEW_CHANGE, buttonsByVerb(card)[REVIEW_CHANGE]?.data);
    return lastCard(await answers(bot, 'group', 'All Staff'));
  }

  test('the generated name and description for reviewers name All Staff', async () => {
    const card = await changeGroupToAllStaff();
    expect(cardTexts(card)[0]).toBe('All Staff inactive members (90 days) – quarterly review');
    expect(rowOf(card, 'Group')).toBe('All Staff');
    expect(rowOf(card, 'Name')).toBe('All Staff inactive members (90 days) – quarterly review');
    expect(rowOf(card, 'Description for reviewers')).toMatch(/^These members of All Staff have not signed in for 90 days or more\./);
    expect(JSON.stringify(card)).not.toContain('Finance Apps');
  });

  test('a name Adele wrote herself is kept and flagged; the generated description follows', async () => {
    const first = lastCard(await answers(bot, 'review "Finance Apps" inactive 90 days quarterly'));
    await bot.press(PEOPLE.adele, REVIEW_CHANGE, buttonsByVerb(first)[REVIEW_CHANGE]?.data);
    await answers(bot, 'settings');
    const renamed = lastCard(await submit(bot, 'wizard.settings', 'next', { name: 'Finance Apps dormant accounts' }));
    expect(cardTexts(renamed)[0]).toBe('Finance Apps dormant accounts');
    expect(warningsOf(renamed).filter((text) => text.includes('mentions'))).toEqual([]);
    await bot.press(PEOPLE.adele, REVIEW_CHANGE, buttonsByVerb(renamed)[REVIEW_CHANGE]?.data);
    const card = lastCard(await answers(bot, 'group', 'All Staff'));
    expect(cardTexts(card)[0]).toBe('Finance Apps dormant accounts');
    expect(rowOf(card, 'Description for reviewers')).toMatch(/^These members of All Staff /);
    expect(warningsOf(card)).toContain('⚠ The name still mentions Finance Apps, but this review is now of All Staff. To change it: ' +
      'Change a setting → Settings and name.');
  });
});

function withoutGroup(state: WizardState): WizardState {
  const { group: _group, inactiveDays: _days, scopeKind: _kind, ...rest } = state;
  return rest;
}
