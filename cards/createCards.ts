/** The cards of review creation: wizard questions, the settings form, confirmation, and the result. */
import { renderConfirmActionCard } from './confirmAction';
import createdTemplate from './created.json';
import createFailedTemplate from './createFailed.json';
import { clip, expandTemplate } from './template';
import settingsFormTemplate from './settingsForm.json';
import type {
  AdaptiveCardJson,
  ConfirmationCardData,
  CreatedCardData,
  CreateFailedCardData,
  SettingsFormCardData,
  WizardAnsweredCardData,
  WizardChoiceCardData,
} from './types';
import { REVIEW_CANCEL, REVIEW_CHANGE, REVIEW_CREATE } from './verbs';
import wizardAnsweredTemplate from './wizardAnswered.json';
import wizardChoiceTemplate from './wizardChoice.json';

/** Buttons a wizard choice card may carry; the group search offers 8, plus Back and Cancel. */
export const MAX_WIZARD_CHOICES = 12;

/** Longest id or keyword a card sends back (choice values, stepId, confirmationId, changeStep). */
const MAX_CHOICE_VALUE = 256;
/** The maxLength of the form's name and description fields. */
const MAX_NAME = 256;
const MAX_LINK = 2048;

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

/** A wizard question no longer asked: its title and what became of it (the answer, "Went back"…), with no buttons. */
export function renderWizardAnsweredCard(data: WizardAnsweredCardData): AdaptiveCardJson {
  return expandTemplate('wizardAnswered', wizardAnsweredTemplate, { title: clip(data.title, 256), answer: clip(data.answer, 300) });
}

/** Input.Toggle values are the strings of valueOn/valueOff. */
const toggle = (on: boolean): 'true' | 'false' => (on ? 'true' : 'false');

/** The step-5 form: toggles, two compact choice sets, name and description, with Next, Back and Cancel. */
export function renderSettingsFormCard(data: SettingsFormCardData): AdaptiveCardJson {
  const { options } = data;
  return expandTemplate('settingsForm', settingsFormTemplate, {
    title: clip(data.title ?? 'Settings', 256),
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

/**
 * The creation confirmation: the settings, the impact preview, warnings and problems, on the one confirm-then-act
 * card, with Create (only when it can create and nothing is wrong), Change a setting and Cancel.
 */
export function renderConfirmationCard(data: ConfirmationCardData): AdaptiveCardJson {
  return renderConfirmActionCard({
    confirmationId: whole('confirmation', 'confirmationId', data.confirmationId),
    revision: data.revision,
    notice: data.notice,
    title: data.title,
    lines: data.lines,
    details: { title: 'Impact', lines: [
      { label: 'In scope now', value: data.impact.principals },
      { label: 'Guests', value: data.impact.guests },
      { label: 'Reviewers', value: data.impact.reviewers },
    ] },
    warnings: data.warnings,
    problems: data.problems,
    problemsTitle: 'Fix these before creating the review:',
    act: { title: 'Create', verb: REVIEW_CREATE },
    canAct: data.canCreate,
    actNote: 'Nothing is created until you press Create.',
    others: [{ title: 'Change a setting', verb: REVIEW_CHANGE }],
    cancel: { title: 'Cancel', verb: REVIEW_CANCEL },
  });
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

/** Settings rows the created card shows, and how long each side may be (so any review fits in 28 KB). */
const CREATED_SETTINGS = { lines: 20, label: 64, value: 160 } as const;
/** A command phrase shown in bold markdown: lower-case words only, so nothing else can be formatted. */
const COMMAND_PHRASE = /^[a-z]+(?: [a-z]+)*$/;

/**
 * The created review: name, status, first run, id, optionally the settings it was created with, the command that
 * follows it, and a link to it in the Entra admin center.
 */
export function renderCreatedCard(data: CreatedCardData): AdaptiveCardJson {
  const follow = data.followUp;
  if (follow !== undefined && !COMMAND_PHRASE.test(follow.command)) throw new Error(`Card "created": "${follow.command}" is not a command phrase`);
  return expandTemplate('created', createdTemplate, {
    alreadyCreated: data.alreadyCreated === true,
    notice: optional(data.notice, 500),
    name: clip(data.name, MAX_NAME),
    id: clip(data.id, 128),
    status: clip(data.status, 128),
    firstRun: clip(data.firstRun, 128),
    settings: (data.settings ?? []).slice(0, CREATED_SETTINGS.lines)
      .map(({ label, value }) => ({ label: clip(label, CREATED_SETTINGS.label), value: clip(value, CREATED_SETTINGS.value) })),
    followCommand: follow?.command ?? '',
    followHere: follow?.where === 'here',
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
