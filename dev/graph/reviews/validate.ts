import { parseDuration } from '../../shared/duration';
import { badRequest, GraphError } from '../errors';
import { parseReviewer, parseScope, QueryError, type ReviewerSpec, type ScopeSpec } from './queries';
import { addDays, formatDate, parseDate, periodDays, scheduleOf, type Schedule, type StoredRecurrence } from './schedule';

/** The writable part of a definition, as stored and echoed back (with Graph's normalisations). */
export interface DefinitionBody {
  displayName: string;
  descriptionForAdmins: string;
  descriptionForReviewers: string;
  scope: Record<string, unknown>;
  instanceEnumerationScope: Record<string, unknown> | null;
  reviewers: Array<Record<string, unknown>>;
  fallbackReviewers: Array<Record<string, unknown>>;
  backupReviewers: Array<Record<string, unknown>>;
  additionalNotificationRecipients: unknown[];
  settings: StoredSettings;
}

export interface StoredSettings {
  mailNotificationsEnabled: boolean;
  reminderNotificationsEnabled: boolean;
  justificationRequiredOnApproval: boolean;
  defaultDecisionEnabled: boolean;
  defaultDecision: string;
  autoApplyDecisionsEnabled: boolean;
  recommendationsEnabled: boolean;
  recommendationLookBackDuration: string | null;
  decisionHistoriesForReviewersEnabled: boolean;
  instanceDurationInDays: number;
  recurrence: StoredRecurrence;
  applyActions: Array<{ '@odata.type': string }>;
  recommendationInsightSettings: unknown[];
}

export interface ValidDefinition {
  body: DefinitionBody;
  scope: ScopeSpec;
  reviewers: ReviewerSpec[];
  fallbackReviewers: ReviewerSpec[];
  schedule: Schedule;
}

/** Directory look-ups validation needs. */
export interface DirectoryLookup {
  groupExists(id: string): boolean;
  userExists(id: string): boolean;
}

const TOP_LEVEL = ['displayName', 'descriptionForAdmins', 'descriptionForReviewers', 'scope', 'instanceEnumerationScope',
  'reviewers', 'fallbackReviewers', 'backupReviewers', 'settings', 'stageSettings', 'additionalNotificationRecipients'];
const READ_ONLY = ['id', 'status', 'createdBy', 'createdDateTime', 'lastModifiedDateTime', 'instances', '@odata.context',
  '@odata.type', '@odata.etag'];
const SETTINGS = ['mailNotificationsEnabled', 'reminderNotificationsEnabled', 'justificationRequiredOnApproval',
  'defaultDecisionEnabled', 'defaultDecision', 'autoApplyDecisionsEnabled', 'instanceDurationInDays', 'recurrence',
  'recommendationsEnabled', 'recommendationLookBackDuration', 'recommendationInsightSettings',
  'decisionHistoriesForReviewersEnabled', 'applyActions'];
const SCOPE_TYPES = ['#microsoft.graph.accessReviewQueryScope', '#microsoft.graph.accessReviewInactiveUsersQueryScope'];
/** Scope types of v1.0 (reference 2.8) for reviews of applications, roles, teams and catalogs: Graph's, not emulated. */
const NOT_EMULATED_SCOPE_TYPES = ['#microsoft.graph.principalResourceMembershipsScope', '#microsoft.graph.accessReviewPrincipalScope',
  '#microsoft.graph.accessReviewResourceScope', '#microsoft.graph.accessReviewAccessPackageAssignmentPolicyScope'];
const APPLY_ACTIONS = ['#microsoft.graph.removeAccessApplyAction', '#microsoft.graph.disableAndDeleteUserApplyAction'];
const DEFAULT_DECISIONS = ['Approve', 'Deny', 'Recommendation'];
const DATE = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

const invalid = (field: string, reason: string): GraphError => badRequest(`Invalid value for '${field}': ${reason}.`);
const missing = (field: string): GraphError => badRequest(`The required property '${field}' is missing.`);

type Json = Record<string, unknown>;

/** A value as text for messages and stored strings (objects as JSON, never `[object Object]`). */
export const asText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKnown(object: Json, known: string[], path: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key) && !READ_ONLY.includes(key)) {
      throw badRequest(`The property '${path}${key}' does not exist on type 'microsoft.graph.accessReviewScheduleDefinition'.`);
    }
  }
}

function bool(object: Json, key: string, path: string): boolean {
  const value = object[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(`${path}${key}`, 'a boolean is expected');
  return value;
}

function text(object: Json, key: string): string {
  const value = object[key];
  if (value === undefined || value === null) throw missing(key);
  if (typeof value !== 'string') throw invalid(key, 'a string is expected');
  return value;
}

/** `YYYY-MM-DD` (a timestamp is accepted and cut to its date, as Graph does). */
function date(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(field, 'a date YYYY-MM-DD is expected');
  const match = DATE.exec(value);
  const day = match?.[1];
  const parsed = day === undefined ? undefined : parseDate(day);
  if (!day || !parsed || Number.isNaN(parsed.getTime()) || formatDate(parsed) !== day) {
    throw invalid(field, `'${value}' is not a valid date (YYYY-MM-DD)`);
  }
  return day;
}

function scopeObject(value: unknown, field: string): Json {
  if (value === undefined || value === null) throw missing(field);
  if (!isObject(value)) throw invalid(field, 'an access review scope object is expected');
  const type = value['@odata.type'];
  if (type !== undefined && NOT_EMULATED_SCOPE_TYPES.includes(asText(type))) {
    throw badRequest(`Invalid value for '${field}.@odata.type': '${asText(type)}' (reviews of applications, roles, teams and ` +
      'access packages) is not supported by the local Graph emulator.', 'NotSupported');
  }
  if (type !== undefined && !SCOPE_TYPES.includes(asText(type))) {
    throw invalid(`${field}.@odata.type`, `'${asText(type)}' is not supported by the local Graph emulator`);
  }
  if (typeof value.query !== 'string' || value.query.trim() === '') throw missing(`${field}.query`);
  if (value.queryType !== 'MicrosoftGraph') throw invalid(`${field}.queryType`, "'MicrosoftGraph' is expected");
  return value;
}

function reviewerList(value: unknown, field: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(field, 'an array of reviewer scopes is expected');
  return value.map((entry, i) => {
    if (!isObject(entry) || typeof entry.query !== 'string') throw invalid(`${field}[${i}]`, 'a reviewer scope with a query is expected');
    if (entry.queryType !== 'MicrosoftGraph') throw invalid(`${field}[${i}].queryType`, "'MicrosoftGraph' is expected");
    return { query: entry.query, queryType: 'MicrosoftGraph', queryRoot: entry.queryRoot ?? null };
  });
}

function recurrence(settings: Json, durationDays: number): StoredRecurrence {
  const raw = settings.recurrence;
  if (!isObject(raw)) throw missing('settings.recurrence');
  const range = raw.range;
  if (!isObject(range)) throw missing('settings.recurrence.range');
  const startDate = date(range.startDate, 'settings.recurrence.range.startDate');
  const rangeType = asText(range.type ?? '').toLowerCase();
  if (!['noend', 'enddate', 'numbered'].includes(rangeType)) {
    throw invalid('settings.recurrence.range.type', `'${String(range.type)}' is not one of noEnd, endDate, numbered`);
  }
  const endDate = range.endDate === undefined || range.endDate === null ? undefined : date(range.endDate, 'settings.recurrence.range.endDate');
  if (endDate !== undefined && endDate < startDate) throw invalid('settings.recurrence.range.endDate', 'it is before the start date');
  const count = range.numberOfOccurrences ?? 0;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw invalid('settings.recurrence.range.numberOfOccurrences', 'a whole number of at least 0 is expected');
  }
  const pattern = raw.pattern;
  if (pattern === null || pattern === undefined) {
    if (durationDays < 1 && (endDate === undefined || endDate === startDate)) {
      throw invalid('settings.instanceDurationInDays', 'a one-time review needs a duration of at least 1 day or an end date');
    }
    const end = endDate ?? formatDate(addDays(parseDate(startDate), durationDays));
    return { pattern: null, range: { type: 'numbered', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate, endDate: end } };
  }
  if (!isObject(pattern)) throw invalid('settings.recurrence.pattern', 'a recurrence pattern or null is expected');
  const type = String(pattern.type);
  if (type !== 'weekly' && type !== 'absoluteMonthly') {
    throw invalid('settings.recurrence.pattern.type', `'${type}' is not supported for access reviews; use weekly or absoluteMonthly, or null for a one-time review`);
  }
  const interval = pattern.interval ?? 1;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > 99) {
    throw invalid('settings.recurrence.pattern.interval', 'a whole number from 1 to 99 is expected');
  }
  if (rangeType === 'enddate' && endDate === undefined) throw missing('settings.recurrence.range.endDate');
  if (rangeType === 'numbered' && count < 1 && endDate === undefined) {
    throw invalid('settings.recurrence.range.numberOfOccurrences', 'a numbered range needs at least 1 occurrence');
  }
  const start = parseDate(startDate);
  return {
    pattern: {
      type, interval, month: 0, dayOfMonth: type === 'absoluteMonthly' ? start.getUTCDate() : 0,
      // Graph echoes the fields it ignores with their defaults; the weekday comes from range.startDate.
      daysOfWeek: [],
      firstDayOfWeek: 'sunday', index: 'first',
    },
    // Echoed as sent, filled in: the create example (accessreviewset-post-definitions, example 1) sends noEnd and gets
    // back noEnd with numberOfOccurrences 0, recurrenceTimeZone null and endDate null.
    range: rangeType === 'noend'
      ? { type: 'noEnd', numberOfOccurrences: 0, recurrenceTimeZone: null, startDate, endDate: null }
      : { type: rangeType === 'enddate' ? 'endDate' : 'numbered', numberOfOccurrences: rangeType === 'numbered' ? count : 0,
        recurrenceTimeZone: null, startDate, endDate: endDate ?? null },
  };
}

function settingsOf(raw: unknown): StoredSettings {
  if (!isObject(raw)) throw missing('settings');
  checkKnown(raw, SETTINGS, 'settings.');
  const p = 'settings.';
  const duration = raw.instanceDurationInDays ?? 0;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0) {
    throw invalid('settings.instanceDurationInDays', 'a whole number of days is expected');
  }
  const defaultDecisionEnabled = bool(raw, 'defaultDecisionEnabled', p);
  let defaultDecision = 'None';
  if (defaultDecisionEnabled) {
    const found = DEFAULT_DECISIONS.find((d) => d.toLowerCase() === String(raw.defaultDecision).toLowerCase());
    if (!found) throw invalid('settings.defaultDecision', `'${String(raw.defaultDecision)}' is not one of Approve, Deny, Recommendation`);
    defaultDecision = found;
  }
  const lookBack = raw.recommendationLookBackDuration;
  if (lookBack !== undefined && lookBack !== null && (typeof lookBack !== 'string' || !parseDuration(lookBack))) {
    throw invalid('settings.recommendationLookBackDuration', 'an ISO 8601 duration such as P30D is expected');
  }
  const applyActions = raw.applyActions ?? [];
  if (!Array.isArray(applyActions) || applyActions.some((a) => !isObject(a) || !APPLY_ACTIONS.includes(String(a['@odata.type'])))) {
    throw invalid('settings.applyActions', 'removeAccessApplyAction or disableAndDeleteUserApplyAction entries are expected');
  }
  return {
    mailNotificationsEnabled: bool(raw, 'mailNotificationsEnabled', p),
    reminderNotificationsEnabled: bool(raw, 'reminderNotificationsEnabled', p),
    justificationRequiredOnApproval: bool(raw, 'justificationRequiredOnApproval', p),
    defaultDecisionEnabled,
    defaultDecision,
    autoApplyDecisionsEnabled: bool(raw, 'autoApplyDecisionsEnabled', p),
    recommendationsEnabled: bool(raw, 'recommendationsEnabled', p),
    recommendationLookBackDuration: typeof lookBack === 'string' ? lookBack : null,
    decisionHistoriesForReviewersEnabled: bool(raw, 'decisionHistoriesForReviewersEnabled', p),
    instanceDurationInDays: duration,
    recurrence: recurrence(raw, duration),
    applyActions: (applyActions as Json[]).map((a) => ({ '@odata.type': String(a['@odata.type']) })),
    recommendationInsightSettings: Array.isArray(raw.recommendationInsightSettings) ? raw.recommendationInsightSettings : [],
  };
}

/**
 * Validates a create (POST) or update (PUT) body like Graph: required fields, supported scope and reviewer
 * queries, recurrence, dates, duration within the period, existing groups and users. Throws a Graph 400.
 */
export function validateDefinition(
  input: unknown, directory: DirectoryLookup, context: { today: string; mode: 'create' | 'update' },
): ValidDefinition {
  if (!isObject(input)) throw badRequest('The request body must be a JSON object.');
  checkKnown(input, TOP_LEVEL, '');
  const displayName = text(input, 'displayName');
  if (displayName.trim() === '' || displayName.length > 256) throw invalid('displayName', 'it must have 1 to 256 characters');
  if (Array.isArray(input.stageSettings) && input.stageSettings.length > 0) {
    throw badRequest('Multi-stage reviews (stageSettings) are not supported by the local Graph emulator.', 'NotSupported');
  }
  const scope = scopeObject(input.scope, 'scope');
  const enumeration = input.instanceEnumerationScope === undefined || input.instanceEnumerationScope === null
    ? undefined : scopeObject(input.instanceEnumerationScope, 'instanceEnumerationScope');
  const settings = settingsOf(input.settings);
  const reviewers = reviewerList(input.reviewers, 'reviewers');
  const fallback = reviewerList(input.fallbackReviewers ?? input.backupReviewers, 'fallbackReviewers');
  let specs: { scope: ScopeSpec; reviewers: ReviewerSpec[]; fallback: ReviewerSpec[] };
  try {
    specs = {
      scope: parseScope(scope, enumeration),
      reviewers: reviewers.map((r, i) => parseReviewer(r, `reviewers[${i}]`, true)),
      fallback: fallback.map((r, i) => parseReviewer(r, `fallbackReviewers[${i}]`, false)),
    };
  } catch (error) {
    if (error instanceof QueryError) {
      if (error.notSupported) throw badRequest(`Invalid value for '${error.field}': ${error.reason}.`, 'NotSupported');
      throw invalid(error.field, error.reason);
    }
    throw error;
  }
  checkDirectory(specs, directory, enumeration !== undefined);
  const schedule = scheduleOf(settings);
  if (context.mode === 'create' && settings.recurrence.range.startDate < context.today) {
    throw invalid('settings.recurrence.range.startDate', `${settings.recurrence.range.startDate} is in the past`);
  }
  const period = periodDays(schedule);
  if (schedule.durationDays > period) {
    throw invalid('settings.instanceDurationInDays', `${schedule.durationDays} days do not fit in one recurrence period of ${period} days`);
  }
  const body: DefinitionBody = {
    displayName,
    descriptionForAdmins: text(input, 'descriptionForAdmins'),
    descriptionForReviewers: text(input, 'descriptionForReviewers'),
    scope: { ...scope, '@odata.type': asText(scope['@odata.type'] ?? SCOPE_TYPES[0]) },
    instanceEnumerationScope: enumeration ? { ...enumeration, '@odata.type': asText(enumeration['@odata.type'] ?? SCOPE_TYPES[0]) } : null,
    reviewers, fallbackReviewers: fallback, backupReviewers: fallback,
    additionalNotificationRecipients: Array.isArray(input.additionalNotificationRecipients) ? input.additionalNotificationRecipients : [],
    settings,
  };
  return { body, scope: specs.scope, reviewers: specs.reviewers, fallbackReviewers: specs.fallback, schedule };
}

function checkDirectory(specs: { scope: ScopeSpec; reviewers: ReviewerSpec[]; fallback: ReviewerSpec[] }, directory: DirectoryLookup,
  hasEnumeration: boolean): void {
  if (specs.scope.kind === 'group' && !directory.groupExists(specs.scope.groupId)) {
    throw invalid('scope.query', `the group ${specs.scope.groupId} does not exist`);
  }
  const check = (spec: ReviewerSpec, field: string): void => {
    if ((spec.kind === 'groupOwners' || spec.kind === 'groupMembers') && !directory.groupExists(spec.groupId)) {
      throw invalid(field, `the group ${spec.groupId} does not exist`);
    }
    if (spec.kind === 'user' && !directory.userExists(spec.userId)) throw invalid(field, `the user ${spec.userId} does not exist`);
    if (spec.kind === 'enumeratedGroupOwners' && !hasEnumeration) {
      throw invalid(field, './owners is relative to the groups of instanceEnumerationScope, which is missing');
    }
  };
  specs.reviewers.forEach((r, i) => check(r, `reviewers[${i}].query`));
  specs.fallback.forEach((r, i) => check(r, `fallbackReviewers[${i}].query`));
}

/** On PUT, Graph keeps the scope and only lets individual-user reviewers change. */
export function checkUpdate(previous: ValidDefinition, next: ValidDefinition): void {
  if (JSON.stringify(previous.scope) !== JSON.stringify(next.scope)) {
    throw invalid('scope', 'the scope of an existing review cannot be changed');
  }
  const key = (specs: ReviewerSpec[]): string => JSON.stringify(specs);
  if (key(previous.reviewers) !== key(next.reviewers) &&
    ![...previous.reviewers, ...next.reviewers].every((r) => r.kind === 'user')) {
    throw invalid('reviewers', 'only reviewers who are individual users can be changed on an existing review');
  }
}
