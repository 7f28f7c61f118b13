import type { DefinitionBody, StoredSettings } from './reviews/validate';
import type { DecisionRow } from './store/decisionStore';
import type { DefinitionRow, InstanceRow } from './store/reviewStore';

export const ZERO_ID = '00000000-0000-0000-0000-000000000000';
/** The service's own identity on default decisions and auto-applied results. */
export const SYSTEM_ACTOR = { id: ZERO_ID, displayName: 'AAD Access Reviews', userPrincipalName: 'AAD Access Reviews' };

/** What `definitions.data` holds: the validated body plus the read-only audit fields. */
export interface StoredDefinition extends DefinitionBody {
  createdBy: { id: string; displayName: string; userPrincipalName: string } | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** What `instances.data` holds. */
export interface StoredInstance {
  scope: Record<string, unknown>;
  reviewers: Array<Record<string, unknown>>;
  fallbackReviewers: Array<Record<string, unknown>>;
  /** The definition's settings when the instance started: later edits affect future instances only. */
  settings: StoredSettings;
  remindersSent: number;
  /** Transitional statuses still to come (each held until `settle_at`), e.g. ['Completed', 'Applying', 'Applied']. */
  pending?: string[];
}

export const DEFINITION_PROPERTIES = ['id', 'displayName', 'createdDateTime', 'lastModifiedDateTime', 'status',
  'descriptionForAdmins', 'descriptionForReviewers', 'createdBy', 'scope', 'instanceEnumerationScope', 'reviewers',
  'fallbackReviewers', 'backupReviewers', 'settings', 'additionalNotificationRecipients', 'stageSettings'];
export const INSTANCE_PROPERTIES = ['id', 'startDateTime', 'endDateTime', 'status', 'scope', 'reviewers', 'fallbackReviewers'];
export const DECISION_PROPERTIES = ['id', 'accessReviewId', 'reviewedDateTime', 'decision', 'justification', 'appliedDateTime',
  'applyResult', 'recommendation', 'principalLink', 'resourceLink', 'reviewedBy', 'appliedBy', 'resource', 'principal'];

export const storedDefinition = (row: DefinitionRow): StoredDefinition => JSON.parse(row.data) as StoredDefinition;
export const storedInstance = (row: InstanceRow): StoredInstance => JSON.parse(row.data) as StoredInstance;

/** A scope as Graph echoes it: `queryRoot` is always there, null unless set (create and get examples). */
const withQueryRoot = (scope: Record<string, unknown>): Record<string, unknown> => ({ ...scope, queryRoot: scope.queryRoot ?? null });

/** A userIdentity as the tutorials' captures show it: `type` is there, null for reviewers, appliers and creators. */
const userIdentity = (id: string, displayName: string, userPrincipalName: string): object =>
  ({ id, displayName, type: null, userPrincipalName });

export function definitionJson(row: DefinitionRow): Record<string, unknown> {
  const data = storedDefinition(row);
  return {
    id: row.id,
    displayName: data.displayName,
    createdDateTime: data.createdDateTime,
    lastModifiedDateTime: data.lastModifiedDateTime,
    status: row.status,
    descriptionForAdmins: data.descriptionForAdmins,
    descriptionForReviewers: data.descriptionForReviewers,
    createdBy: data.createdBy && userIdentity(data.createdBy.id, data.createdBy.displayName, data.createdBy.userPrincipalName),
    scope: withQueryRoot(data.scope),
    instanceEnumerationScope: data.instanceEnumerationScope && withQueryRoot(data.instanceEnumerationScope),
    reviewers: data.reviewers,
    fallbackReviewers: data.fallbackReviewers,
    backupReviewers: data.backupReviewers,
    settings: data.settings,
    additionalNotificationRecipients: data.additionalNotificationRecipients,
    stageSettings: [],
  };
}

export function instanceJson(row: InstanceRow): Record<string, unknown> {
  const data = storedInstance(row);
  return {
    id: row.id,
    startDateTime: row.start_at,
    endDateTime: row.end_at,
    status: row.status,
    scope: withQueryRoot(data.scope),
    reviewers: data.reviewers,
    fallbackReviewers: data.fallbackReviewers,
  };
}

/** Who reviewed or applied: the zero GUID with empty names until someone did (NotReviewed convention). */
const identity = (id: string | null, name: string | null, upn: string | null): object => userIdentity(id ?? ZERO_ID, name ?? '', upn ?? '');

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `lastUserSignInDateTime` as Graph writes it on decision principals (security group tutorial): not ISO 8601 but
 * `M/D/YYYY h:mm:ss AM +00:00` in UTC, and `""` for a user who never signed in.
 */
export function signInText(iso: string | null): string {
  const time = iso === null ? NaN : Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const d = new Date(time);
  const hours = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 === 0 ? 12 : hours % 12}:${pad(d.getUTCMinutes())}:` +
    `${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'} +00:00`;
}

/** The reviewed principal: a user (userIdentity with `type: "user"`), or a group (`type: "group"`, no `@odata.type`). */
function principalJson(row: DecisionRow): object {
  if (row.principal_type === 'group') return { id: row.principal_id, displayName: row.principal_name, type: 'group' };
  return {
    '@odata.type': '#microsoft.graph.userIdentity',
    id: row.principal_id,
    displayName: row.principal_name,
    type: 'user',
    userPrincipalName: row.principal_upn,
    lastUserSignInDateTime: signInText(row.principal_last_sign_in),
  };
}

type DecisionField = keyof DecisionRow;
/** Each decision property: the row fields it is read from, and how. */
const DECISION_RENDER: Record<string, { fields: readonly DecisionField[]; render: (row: DecisionRow, graphBase: string) => unknown }> = {
  id: { fields: ['id'], render: (row) => row.id },
  accessReviewId: { fields: ['instance_id'], render: (row) => row.instance_id },
  reviewedDateTime: { fields: ['reviewed_at'], render: (row) => row.reviewed_at },
  decision: { fields: ['decision'], render: (row) => row.decision },
  justification: { fields: ['justification'], render: (row) => row.justification },
  appliedDateTime: { fields: ['applied_at'], render: (row) => row.applied_at },
  applyResult: { fields: ['apply_result'], render: (row) => row.apply_result },
  recommendation: { fields: ['recommendation'], render: (row) => row.recommendation },
  principalLink: {
    fields: ['principal_type', 'principal_id'],
    render: (row, graphBase) => `${graphBase}/v1.0/${row.principal_type === 'group' ? 'groups' : 'users'}/${row.principal_id}`,
  },
  resourceLink: { fields: ['resource_id'], render: (row, graphBase) => (row.resource_id === null ? null : `${graphBase}/v1.0/groups/${row.resource_id}`) },
  reviewedBy: { fields: ['reviewed_by_id', 'reviewed_by_name', 'reviewed_by_upn'], render: (row) => identity(row.reviewed_by_id, row.reviewed_by_name, row.reviewed_by_upn) },
  appliedBy: { fields: ['applied_by_id', 'applied_by_name', 'applied_by_upn'], render: (row) => identity(row.applied_by_id, row.applied_by_name, row.applied_by_upn) },
  resource: {
    fields: ['resource_id', 'resource_name'],
    render: (row) => (row.resource_id === null ? null : { id: row.resource_id, displayName: row.resource_name, type: 'group' }),
  },
  principal: { fields: ['principal_type', 'principal_id', 'principal_name', 'principal_upn', 'principal_last_sign_in'], render: (row) => principalJson(row) },
};

/** The properties of a `$select` as this type spells them; undefined when none was given or one is unknown (the list answers 400). */
export function decisionProperties(select: readonly string[] | undefined): string[] | undefined {
  if (select === undefined) return undefined;
  const named = select.map((name) => DECISION_PROPERTIES.find((known) => known.toLowerCase() === name.toLowerCase()));
  return named.every((name) => name !== undefined) ? named : undefined;
}

/** The row fields `properties` (all when undefined) are read from: a `$select`ed list reads only those columns. */
export const decisionFields = (properties: readonly string[] | undefined): DecisionField[] | undefined =>
  properties === undefined ? undefined : [...new Set(properties.flatMap((name) => DECISION_RENDER[name]?.fields ?? []))];

/**
 * A decision item as the security group tutorial's captures show one (v1.0): the group under review as `resource`
 * and `resourceLink` (null when the item has no resource, as in the API pages' examples). With `properties`, only
 * those (the row may then hold only their fields).
 */
export function decisionJson(row: DecisionRow, graphBase: string, properties: readonly string[] = DECISION_PROPERTIES): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const name of properties) {
    const property = DECISION_RENDER[name];
    if (property !== undefined) json[name] = property.render(row, graphBase);
  }
  return json;
}
