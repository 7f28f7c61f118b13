import type { RecurrencePatternType } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Graph's answers, checked where they arrive instead of cast. Tolerant the way real Graph is: fields may be
 * missing or null, objects carry more than we read (kept: `looseObject`), and enums grow (any status or
 * recurrence type string is kept). Only what the bot relies on is required — an id, a `value` list.
 */

const text = z.string().nullish();

/** A recurrence type Graph may extend: any string is kept, typed as Graph's list for the domain. */
const recurrenceType = z.custom<RecurrencePatternType>((value) => typeof value === 'string');

/**
 * A scope as Graph writes it: `queryRoot` null, queries the service rewrote (`/v1.0/groups/…`, `…/?$count=true&$filter=…`)
 * kept as strings; reading them is reviews/describe.ts's job.
 */
const queryScope = z.looseObject({ '@odata.type': text, query: text, queryType: text, queryRoot: text, inactiveDuration: text });
const reviewerScope = z.looseObject({ query: text, queryType: text, queryRoot: text });
/** A userIdentity: `type` is null for reviewers, appliers and creators in Microsoft's captures. */
const userIdentity = z.looseObject({ id: text, displayName: text, userPrincipalName: text, type: text });

export const definitionSchema = z.looseObject({
  id: z.string(),
  displayName: text,
  status: text,
  descriptionForAdmins: text,
  descriptionForReviewers: text,
  createdDateTime: text,
  createdBy: userIdentity.nullish(),
  scope: queryScope.nullish(),
  instanceEnumerationScope: queryScope.nullish(),
  reviewers: z.array(reviewerScope).nullish(),
  settings: z.looseObject({
    recurrence: z.looseObject({
      // interval may come null: read as absent (the typings' interval is number | undefined).
      pattern: z.looseObject({ type: recurrenceType.nullish(), interval: z.number().nullish().transform((n) => n ?? undefined) }).nullish(),
    }).nullish(),
  }).nullish(),
});

/** An access review instance (list, get, filterByCurrentUser): any status string is kept. */
export const instanceSchema = z.looseObject({
  id: z.string(),
  startDateTime: text,
  endDateTime: text,
  status: text,
  scope: queryScope.nullish(),
  reviewers: z.array(reviewerScope).nullish(),
  fallbackReviewers: z.array(reviewerScope).nullish(),
});

/**
 * A decision item as the tutorials show them: the zero-GUID `reviewedBy`/`appliedBy` with empty names until someone
 * acts; a user principal with `type: "user"` and `lastUserSignInDateTime` as a locale string ("2/11/2022 5:31:37 PM
 * +00:00") or ""; a group principal with `type: "group"` and no `@odata.type`; `resource`/`resourceLink` often null.
 */
export const decisionSchema = z.looseObject({
  id: z.string(),
  accessReviewId: text,
  decision: text,
  justification: text,
  recommendation: text,
  applyResult: text,
  reviewedDateTime: text,
  appliedDateTime: text,
  reviewedBy: userIdentity.nullish(),
  appliedBy: userIdentity.nullish(),
  principal: z.looseObject({ '@odata.type': text, id: text, displayName: text, userPrincipalName: text, type: text, lastUserSignInDateTime: text }).nullish(),
  principalLink: text,
  resource: z.looseObject({ id: text, displayName: text, type: text }).nullish(),
  resourceLink: text,
});

export const groupSchema = z.looseObject({
  id: z.string(),
  displayName: text,
  groupTypes: z.array(z.string()).nullish(),
  membershipRule: text,
  isAssignableToRole: z.boolean().nullish(),
});

export const userSchema = z.looseObject({ id: z.string(), displayName: text, mail: text, userPrincipalName: text });

/** A collection answer: its items and, when there are more, the link to the next page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.looseObject({ value: z.array(item), '@odata.nextLink': z.string().optional() });

/** A `$count` answer: a number, or its digits as text (the SDK hands text/plain bodies over as strings). */
export const countSchema = z.union([z.number(), z.string().regex(/^\s*\d+\s*$/).transform(Number)]).pipe(z.number().int().nonnegative());

/**
 * `answer` checked against `schema`; a malformed answer is GraphUnavailable in plain words (what was being done;
 * for a write it does not claim that nothing changed). The zod issues go to the logs as the cause, values left out.
 */
export function parseAnswer<T extends z.ZodType>(schema: T, answer: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.code}`);
  throw new AppError('GraphUnavailable', `Microsoft Graph sent an answer I could not read when I tried to ${what}. Please try again in a minute.`,
    { cause: new Error(`malformed Graph answer: ${issues.slice(0, 5).join('; ')}`) });
}
