/** The cards of review creation: wizard questions, the settings form, confirmation, and the result. */
import confirmationTemplate from './confirmation.json';
import createdTemplate from './created.json';
import createFailedTemplate from './createFailed.json';
import { clip, expandTemplate } from './template';
import settingsFormTemplate from './settingsForm.json';
import type {
  AdaptiveCardJson,
  ConfirmationCardData,
  CreatedCardData,
  CreateFailedCardData,
  SettingLine,
  SettingsFormCardData,
  WizardChoiceCardData,
} from './types';
import { MAX_CARD_BYTES } from './validate';
import wizardChoiceTemplate from './wizardChoice.json';

/** Buttons a wizard choice card may carry; the group search offers 8, plus Back and Cancel. */
export const MAX_WIZARD_CHOICES = 12;
/** Settings lines, warnings and problems a confirmation card shows before it says "and N more". */
export const CONFIRMATION_LIMITS = { lines: 40, warnings: 10, problems: 10 } as const;

/** Longest id or keyword a card sends back (choice values, stepId, confirmationId, changeStep). */
const MAX_CHOICE_VALUE = 256;
/** The maxLength of the form's name and description fields. */
const MAX_NAME = 256;
const MAX_LINK = 2048;
/** Clip lengths for the confirmation card's free text, tried longest first until the card fits in 28 KB. */
const FIT_STEPS = [256, 128, 64, 32] as const;

/** An id or keyword the bot matches when it comes back: never clipped, so an over-long one is a bug. */
function whole(card: string, field: string, value: string): string {
  if (value.length > MAX_CHOICE_VALUE) throw new Error(`Card "${card}": ${field} is longer than ${MAX_CHOICE_VALUE} characters`);
  return value;
}

/** The text, or '' when absent: templates test optional text with `!= ''`. */
const optional = (text: string | undefined, max: number): string => clip(text ?? '', max);

/** A wizard question answered by stacked buttons: one ActionSet each, so no set exceeds the host's maxActions. */
export function renderWizardChoiceCard(data: WizardChoiceCardData): AdaptiveCardJson {
  if (data.choices.length > MAX_WIZARD_CHOICES) {
    throw new Error(`Card "wizardChoice": ${data.choices.length} choices, at most ${MAX_WIZARD_CHOICES}`);
  }
  const choices = data.choices.map(({ title, value }) => ({ title: clip(title, 80), value: whole('wizardChoice', 'choice value', value) }));
  return expandTemplate('wizardChoice', wizardChoiceTemplate, {
    stepId: whole('wizardChoice', 'stepId', data.stepId),
    title: clip(data.title, 256),
    text: clip(data.text, 2000),
    choices,
    hint: optional(data.hint, 500),
    problem: optional(data.problem, 1000),
  });
}

/** Input.Toggle values are the strings of valueOn/valueOff. */
const toggle = (on: boolean): 'true' | 'false' => (on ? 'true' : 'false');

/** The step-5 form: toggles, two compact choice sets, name and description, with Next, Back and Cancel. */
export function renderSettingsFormCard(data: SettingsFormCardData): AdaptiveCardJson {
  const { options } = data;
  return expandTemplate('settingsForm', settingsFormTemplate, {
    stepId: whole('settingsForm', 'stepId', data.stepId),
    name: clip(data.name, MAX_NAME),
    descriptionForReviewers: clip(data.descriptionForReviewers, MAX_NAME),
    justificationRequired: toggle(options.justificationRequired),
    showRecommendations: toggle(options.showRecommendations),
    defaultDecision: options.defaultDecision,
    autoApply: toggle(options.autoApply && !data.isDynamicGroup),
    deniedGuests: options.deniedGuests,
    mailNotifications: toggle(options.mailNotifications),
    reminders: toggle(options.reminders),
    isGuestScope: data.isGuestScope,
    isDynamicGroup: data.isDynamicGroup,
    hint: optional(data.hint, 500),
    problem: optional(data.problem, 1000),
  });
}

/** Bytes of the card as sent (UTF-8 JSON). */
const bytesOf = (card: AdaptiveCardJson): number => Buffer.byteLength(JSON.stringify(card), 'utf8');

/** First `limit` items, and how many were left out. */
function firstOf<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

/** A label/value row with both sides clipped; labels never need more than 64 characters. */
const line = ({ label, value }: SettingLine, max: number): SettingLine => ({ label: clip(label, Math.min(64, max)), value: clip(value, max) });

/**
 * The confirmation card: settings, impact, warnings and problems, with Create (only when it can create and
 * nothing is wrong), Change a setting and Cancel. Free text is clipped harder until the card fits in 28 KB.
 */
export function renderConfirmationCard(data: ConfirmationCardData): AdaptiveCardJson {
  const lines = firstOf(data.lines, CONFIRMATION_LIMITS.lines);
  const warnings = firstOf(data.warnings, CONFIRMATION_LIMITS.warnings);
  const problems = firstOf(data.problems, CONFIRMATION_LIMITS.problems);
  const impact: SettingLine[] = [
    { label: 'In scope now', value: data.impact.principals },
    { label: 'Guests', value: data.impact.guests },
    { label: 'Reviewers', value: data.impact.reviewers },
  ];
  const render = (max: number): AdaptiveCardJson =>
    expandTemplate('confirmation', confirmationTemplate, {
      confirmationId: whole('confirmation', 'confirmationId', data.confirmationId),
      revision: data.revision,
      notice: optional(data.notice, 256),
      title: clip(data.title, max),
      lines: lines.shown.map((entry) => line(entry, max)),
      moreLines: lines.more,
      impactLines: impact.map((entry) => line(entry, max)),
      warnings: warnings.shown.map((text) => clip(text, max)),
      moreWarnings: warnings.more,
      problems: problems.shown.map((text) => clip(text, max)),
      moreProblems: problems.more,
      canCreate: data.canCreate && data.problems.length === 0,
    });
  let card = render(FIT_STEPS[0]);
  for (const max of FIT_STEPS.slice(1)) {
    if (bytesOf(card) <= MAX_CARD_BYTES) break;
    card = render(max);
  }
  return card;
}

/** True for an http(s) URL short enough to send: anything else drops the Open button rather than break it. */
function isSendableLink(link: string): boolean {
  if (link.length > MAX_LINK) return false;
  try {
    const { protocol } = new URL(link);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The created review: name, status, first run, id, and a link to it in the Entra admin center. */
export function renderCreatedCard(data: CreatedCardData): AdaptiveCardJson {
  return expandTemplate('created', createdTemplate, {
    name: clip(data.name, MAX_NAME),
    id: clip(data.id, 128),
    status: clip(data.status, 64),
    firstRun: clip(data.firstRun, 128),
    link: isSendableLink(data.link) ? data.link : '',
  });
}

/** Why creating failed, with "Change <setting>" when Graph named one, "Try again" when it may pass, and Cancel. */
export function renderCreateFailedCard(data: CreateFailedCardData): AdaptiveCardJson {
  const changeStep = whole('createFailed', 'changeStep', data.changeStep ?? '');
  return expandTemplate('createFailed', createFailedTemplate, {
    title: clip(data.title, 256),
    reason: clip(data.reason, 2000),
    changeStep,
    changeLabel: clip(data.changeLabel ?? changeStep, 60),
    canRetry: data.canRetry ?? false,
    confirmationId: whole('createFailed', 'confirmationId', data.confirmationId),
    revision: data.revision,
  });
}
