import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { addDays } from './defaults';
import { formatDay } from './describeSettings';
import type { DefaultDecision, Frequency } from './settings';
import { maxDurationDays } from './validateSettings';
import { plural } from './vocabulary';

/**
 * `edit <review>`: a definition read from Graph, the changes asked for, the full object to PUT back (Graph has no
 * PATCH for definitions: reference trap 1), what Graph would refuse (said before calling it), and what changed in
 * words ("Duration: 14 → 21 days"). Pure.
 */

export type EditField = 'name' | 'description' | 'adminDescription' | 'duration' | 'end' | 'reminders' | 'mail'
  | 'justification' | 'recommendations' | 'autoApply' | 'defaultDecision';

export type RecurrenceEndChange = { kind: 'never' } | { kind: 'date'; date: string } | { kind: 'runs'; count: number };

export type EditChange =
  | { field: 'name' | 'description' | 'adminDescription'; text: string }
  | { field: 'duration'; days: number }
  | { field: 'end'; end: RecurrenceEndChange }
  | { field: 'reminders' | 'mail' | 'justification' | 'recommendations' | 'autoApply'; on: boolean }
  | { field: 'defaultDecision'; decision: DefaultDecision };

/** Each field as the answers name it. */
export const FIELD_WORDS: Record<EditField, string> = {
  name: 'Name', description: 'Description for reviewers', adminDescription: 'Description for admins', duration: 'Duration',
  end: 'End', reminders: 'Reminders', mail: 'Mail notifications', justification: 'Justification required',
  recommendations: 'Recommendations', autoApply: 'Auto-apply', defaultDecision: "If reviewers don't respond",
};

/** Graph's writable properties of a definition (the update page's table, plus the scopes it expects back unchanged). */
const WRITABLE = ['displayName', 'descriptionForAdmins', 'descriptionForReviewers', 'scope', 'instanceEnumerationScope', 'reviewers',
  'fallbackReviewers', 'settings', 'additionalNotificationRecipients'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const settingsOf = (definition: AccessReviewScheduleDefinition): Json => (isObject(definition.settings) ? definition.settings : {});
const recurrenceOf = (definition: AccessReviewScheduleDefinition): { pattern: Json | null; range: Json } => {
  const recurrence = settingsOf(definition).recurrence;
  const value = isObject(recurrence) ? recurrence : {};
  return { pattern: isObject(value.pattern) ? value.pattern : null, range: isObject(value.range) ? value.range : {} };
};

/** How often the definition runs, when it is one of the frequencies the bot knows (else undefined: Graph judges). */
function frequencyOf(definition: AccessReviewScheduleDefinition): Frequency | undefined {
  const { pattern } = recurrenceOf(definition);
  if (pattern === null) return 'once';
  const interval = Number(pattern.interval ?? 1);
  if (String(pattern.type).toLowerCase() === 'weekly') return interval === 1 ? 'weekly' : undefined;
  if (String(pattern.type).toLowerCase() !== 'absolutemonthly') return undefined;
  const byMonths: Record<number, Frequency> = { 1: 'monthly', 3: 'quarterly', 6: 'semiannually', 12: 'annually' };
  return byMonths[interval];
}

const DECISION_TO_GRAPH: Record<DefaultDecision, string> = { none: 'None', approve: 'Approve', deny: 'Deny', recommendation: 'Recommendation' };

/** The full object to PUT: the definition's writable properties, as read, with the changes made. */
export function applyEdit(definition: AccessReviewScheduleDefinition, changes: readonly EditChange[]): Json {
  const body: Json = { id: definition.id };
  const read = definition as unknown as Json;
  for (const key of WRITABLE) if (read[key] !== undefined && read[key] !== null) body[key] = read[key];
  const settings: Json = { ...settingsOf(definition) };
  const { pattern, range } = recurrenceOf(definition);
  let newRange: Json | undefined;
  for (const change of changes) {
    switch (change.field) {
      case 'name': body.displayName = change.text; break;
      case 'description': body.descriptionForReviewers = change.text; break;
      case 'adminDescription': body.descriptionForAdmins = change.text; break;
      case 'duration':
        settings.instanceDurationInDays = change.days;
        // A one-time review's run ends at its range's end date (reference trap 22): keep the two consistent.
        if (pattern === null && typeof range.startDate === 'string') newRange = { ...(newRange ?? range), endDate: addDays(range.startDate, change.days) };
        break;
      case 'end': {
        const startDate = range.startDate;
        newRange = change.end.kind === 'never' ? { type: 'noEnd', startDate }
          : change.end.kind === 'date' ? { type: 'endDate', startDate, endDate: change.end.date }
            : { type: 'numbered', startDate, numberOfOccurrences: change.end.count };
        break;
      }
      case 'reminders': settings.reminderNotificationsEnabled = change.on; break;
      case 'mail': settings.mailNotificationsEnabled = change.on; break;
      case 'justification': settings.justificationRequiredOnApproval = change.on; break;
      case 'recommendations': settings.recommendationsEnabled = change.on; break;
      case 'autoApply': settings.autoApplyDecisionsEnabled = change.on; break;
      case 'defaultDecision':
        settings.defaultDecisionEnabled = change.decision !== 'none';
        settings.defaultDecision = DECISION_TO_GRAPH[change.decision];
        break;
    }
  }
  if (newRange !== undefined) settings.recurrence = { pattern, range: newRange };
  body.settings = settings;
  return body;
}

/**
 * Why the changes cannot be made, in words, before Graph is called; undefined when they can. `today` is the bot's
 * clock (YYYY-MM-DD).
 */
export function editRefusal(definition: AccessReviewScheduleDefinition, changes: readonly EditChange[], today: string): string | undefined {
  const read = definition as unknown as Json;
  if (Array.isArray(read.stageSettings) && read.stageSettings.length > 0) {
    return 'This is a multi-stage review: its stages set the duration, reviewers and decision settings, and `edit` does not change stages. Use the Microsoft Entra admin center.';
  }
  const { pattern, range } = recurrenceOf(definition);
  const startDate = typeof range.startDate === 'string' ? range.startDate : undefined;
  const frequency = frequencyOf(definition);
  for (const change of changes) {
    if (change.field === 'duration' && frequency !== undefined && startDate !== undefined) {
      const max = maxDurationDays(frequency, startDate);
      if (change.days > max) {
        return frequency === 'once'
          ? `A one-time review can last at most ${plural(max, 'day')} (not ${change.days}).`
          : `Each run must end before the next one starts: this review can last at most ${plural(max, 'day')} (not ${change.days}). Microsoft Graph refuses longer runs.`;
      }
    }
    if (change.field === 'end') {
      if (pattern === null) return 'This is a one-time review: it has no series to end. Change its `duration` instead.';
      if (change.end.kind === 'date') {
        if (startDate !== undefined && change.end.date <= startDate) return `The end (${formatDay(change.end.date)}) must come after the first run (${formatDay(startDate)}).`;
        if (change.end.date < today) return `The end (${formatDay(change.end.date)}) is in the past: pick today or a later day.`;
      }
    }
  }
  return undefined;
}

const onOff = (value: unknown): string => (value === true ? 'on' : 'off');
const decisionWords = (settings: Json): string => (settings.defaultDecisionEnabled === true && typeof settings.defaultDecision === 'string' && settings.defaultDecision !== 'None'
  ? ({ Approve: 'approve', Deny: 'deny', Recommendation: 'take recommendations' } as Record<string, string>)[settings.defaultDecision] ?? settings.defaultDecision
  : 'no change');
function endWords(settings: Json): string {
  const recurrence = isObject(settings.recurrence) ? settings.recurrence : {};
  const range = isObject(recurrence.range) ? recurrence.range : {};
  const type = typeof range.type === 'string' ? range.type.toLowerCase() : '';
  if (type === 'enddate' && typeof range.endDate === 'string' && range.endDate !== '9999-12-31') return `on ${formatDay(range.endDate)}`;
  if (type === 'numbered' && Number(range.numberOfOccurrences) > 0) return `after ${plural(Number(range.numberOfOccurrences), 'run')}`;
  return 'never';
}
const shown = (value: unknown): string => `"${typeof value === 'string' ? value : ''}"`;

/** What one field reads as, in a definition (or a PUT body). */
function fieldWords(field: EditField, body: Json): string {
  const settings = isObject(body.settings) ? body.settings : {};
  switch (field) {
    case 'name': return shown(body.displayName);
    case 'description': return shown(body.descriptionForReviewers);
    case 'adminDescription': return shown(body.descriptionForAdmins);
    case 'duration': return plural(Number(settings.instanceDurationInDays ?? 0), 'day');
    case 'end': return endWords(settings);
    case 'reminders': return onOff(settings.reminderNotificationsEnabled);
    case 'mail': return onOff(settings.mailNotificationsEnabled);
    case 'justification': return onOff(settings.justificationRequiredOnApproval);
    case 'recommendations': return onOff(settings.recommendationsEnabled);
    case 'autoApply': return onOff(settings.autoApplyDecisionsEnabled);
    case 'defaultDecision': return decisionWords(settings);
  }
}

/** One change in words: `label` "Duration", `value` "14 days → 21 days". */
export interface EditLine { label: string; value: string }

/** One row per field asked for ("Duration", "14 days → 21 days"); `same` lists the fields already as asked. */
export function editLines(definition: AccessReviewScheduleDefinition, body: Json, changes: readonly EditChange[]): { changed: EditLine[]; same: EditLine[] } {
  const before = definition as unknown as Json;
  const changed: EditLine[] = [];
  const same: EditLine[] = [];
  for (const { field } of changes) {
    const [was, will] = [fieldWords(field, before), fieldWords(field, body)];
    if (was === will) same.push({ label: FIELD_WORDS[field], value: `already ${will}` });
    else changed.push({ label: FIELD_WORDS[field], value: `${was} → ${will}` });
  }
  return { changed, same };
}

/** "Duration: 14 days → 21 days; Name: …" for a text answer. */
export const linesText = (lines: readonly EditLine[]): string => lines.map((line) => `${line.label}: ${line.value}`).join('; ');

/** Warnings an admin should read before confirming (reference trap 24). */
export function editWarnings(body: Json): string[] {
  const settings = isObject(body.settings) ? body.settings : {};
  const decision = settings.defaultDecisionEnabled === true ? settings.defaultDecision : undefined;
  const warnings = ['Changes apply to future runs only: a run in progress keeps its settings (Microsoft Graph).'];
  if (settings.autoApplyDecisionsEnabled === true && (decision === 'Deny' || decision === 'Recommendation')) {
    warnings.push(`With auto-apply and "${decision === 'Deny' ? 'deny' : 'take recommendations'}" when reviewers don't respond, everyone nobody reviewed can lose access automatically.`);
  }
  return warnings;
}
