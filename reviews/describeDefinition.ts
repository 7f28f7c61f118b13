import type { AccessReviewScheduleDefinition } from '@microsoft/microsoft-graph-types';
import { reviewedGroupId } from './describe';
import { formatDay } from './describeSettings';
import { inReviewsList } from './status';
import { plural } from './vocabulary';

/**
 * An existing definition read back into words (list and show): who reviews, and its current run. Pure. Graph echoes
 * queries as the service rewrote them (`/v1.0/groups/{id}/owners`, `./manager` with queryRoot `decisions`), so
 * they are matched tolerantly: any `/v1.0` or `/beta` prefix, any case, a trailing cast or query string.
 */

const GROUP_OWNERS = /^(?:\/(?:v1\.0|beta))?\/groups\/([0-9a-fA-F-]{36})\/(?:transitive)?owners(?:[/?]|$)/i;
const USER = /^(?:\/(?:v1\.0|beta))?\/users\/([0-9a-fA-F-]{36})(?:[/?]|$)/i;
const GROUP_MEMBERS = /^(?:\/(?:v1\.0|beta))?\/groups\/([0-9a-fA-F-]{36})\/(?:transitive)?members(?:[/?]|$)/i;

interface ReviewerQuery {
  query?: string | null;
  queryRoot?: string | null;
}

/** Group ids named by reviewer queries (owners or members of a group): for looking their names up. */
export function reviewerGroupIds(reviewers: readonly ReviewerQuery[] | null | undefined): string[] {
  return (reviewers ?? []).map((reviewer) => (GROUP_OWNERS.exec(reviewer.query?.trim() ?? '') ?? GROUP_MEMBERS.exec(reviewer.query?.trim() ?? ''))?.[1]?.toLowerCase())
    .filter((id): id is string => id !== undefined);
}

/**
 * "Group owners", "Each person's manager", "2 named people", "Members of Finance", "Each person reviews their own
 * access" (no reviewers: a self-review); several kinds joined with "and". `definition` gives the reviewed group, so
 * that its own owners read "Group owners".
 */
export function describeReviewers(definition: AccessReviewScheduleDefinition, groupNames: ReadonlyMap<string, string>): string {
  const reviewers = (definition.reviewers ?? []) as ReviewerQuery[];
  if (reviewers.length === 0) return 'Each person reviews their own access';
  const reviewed = reviewedGroupId(definition);
  const parts: string[] = [];
  let people = 0;
  for (const reviewer of reviewers) {
    const query = reviewer.query?.trim() ?? '';
    const owners = GROUP_OWNERS.exec(query)?.[1]?.toLowerCase();
    const members = GROUP_MEMBERS.exec(query)?.[1]?.toLowerCase();
    if (/^\.\/manager(?:[/?]|$)/i.test(query)) parts.push("Each person's manager");
    else if (/^\.\/owners(?:[/?]|$)/i.test(query)) parts.push('The owners of each group');
    else if (owners !== undefined) parts.push(owners === reviewed ? 'Group owners' : `Owners of ${groupNames.get(owners) ?? 'another group'}`);
    else if (members !== undefined) parts.push(`Members of ${groupNames.get(members) ?? 'a group'}`);
    else if (USER.test(query)) people += 1;
    else parts.push('Other reviewers');
  }
  if (people > 0) parts.push(people === 1 ? '1 named person' : `${people} named people`);
  return [...new Set(parts)].join(' and ');
}

interface InstanceTimes {
  status?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

/** A finished status (Completed, Applied…); an unknown one is not finished. */
const isFinished = (status: string | null | undefined): boolean => !inReviewsList('active', status);

const time = (value: string | null | undefined): number => {
  const parsed = Date.parse(value ?? '');
  return Number.isNaN(parsed) ? -Infinity : parsed;
};

/**
 * The run a review is on: the running (not yet finished) one that started last, else the one that ended last.
 * Unknown statuses count as running (reviews/status.ts never hides one).
 */
export function currentInstance<T extends InstanceTimes>(instances: readonly T[]): T | undefined {
  const running = instances.filter((instance) => !isFinished(instance.status));
  const byStart = (a: T, b: T): number => time(b.startDateTime) - time(a.startDateTime) || time(b.endDateTime) - time(a.endDateTime);
  if (running.length > 0) return [...running].sort(byStart)[0];
  return [...instances].sort((a, b) => time(b.endDateTime) - time(a.endDateTime))[0];
}

/** The day of an ISO date-time in words ("Friday 20 June 2025"); its text as it came when it is no date. */
export const dayOf = (dateTime: string | null | undefined): string => (dateTime ? formatDay(dateTime.slice(0, 10)) : 'an unknown day');

/** "Current run ends Friday 20 June 2025", "Last run ended …", "No run yet"; with "(and N other runs)" for all-groups reviews. */
export function describeCurrentRun(instances: readonly InstanceTimes[] | undefined): string {
  if (instances === undefined) return 'Runs could not be read';
  const current = currentInstance(instances);
  if (current === undefined) return 'No run yet';
  const finished = isFinished(current.status);
  const running = instances.filter((instance) => !isFinished(instance.status));
  const others = finished ? 0 : running.length - 1;
  const more = others > 0 ? ` (${plural(others, 'other run')} at the same time)` : '';
  return `${finished ? 'Last run ended' : 'Current run ends'} ${dayOf(current.endDateTime)}${more}`;
}

/**
 * "Waiting on A, B and 12 more": whole names (each cut at 60 characters) while the line stays within `budget`
 * characters, then how many are left; '' for nobody.
 */
export function waitingLine(names: readonly string[], budget = 280): string {
  if (names.length === 0) return '';
  const shown: string[] = [];
  let length = 'Waiting on '.length;
  for (const raw of names) {
    const name = [...raw.trim()].length > 60 ? `${[...raw.trim()].slice(0, 59).join('')}…` : raw.trim();
    const tail = names.length - shown.length - 1 > 0 ? ` and ${(names.length - shown.length - 1).toLocaleString('en-US')} more`.length : 0;
    if (shown.length > 0 && length + 2 + [...name].length + tail > budget) break;
    shown.push(name);
    length += (shown.length > 1 ? 2 : 0) + [...name].length;
  }
  const left = names.length - shown.length;
  return `Waiting on ${shown.join(', ')}${left > 0 ? ` and ${left.toLocaleString('en-US')} more` : ''}`;
}
