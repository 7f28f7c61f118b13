import type { AccessReviewScheduleDefinition, PatternedRecurrence } from '@microsoft/microsoft-graph-types';

/**
 * Plain-words descriptions of access review definitions, for cards. Pure: Graph's stored queries are parsed
 * tolerantly (a `/v1.0` prefix, casts and query strings may appear; reference trap 14).
 */
const GROUP_IN_QUERY = /\/groups\/([0-9a-fA-F-]{36})/;

/** URL-decoding that never throws: a stored query may hold a stray '%'. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The group a definition reviews, if it reviews one group. */
export function reviewedGroupId(definition: AccessReviewScheduleDefinition): string | undefined {
  const query = (definition.scope as { query?: string } | undefined)?.query ?? '';
  return GROUP_IN_QUERY.exec(query)?.[1]?.toLowerCase();
}

/** "Guests of Sales Team", "Members of Finance Apps", "Guests in all Microsoft 365 groups", "Inactive users (30 days) of …". */
export function describeScope(definition: AccessReviewScheduleDefinition, groupNames: ReadonlyMap<string, string>): string {
  const scope = (definition.scope ?? {}) as { query?: string; '@odata.type'?: string; inactiveDuration?: string };
  const query = scope.query ?? '';
  const guests = /userType\s+eq\s+'Guest'/i.test(safeDecode(query.replace(/\+/g, ' ')));
  const inactive = scope['@odata.type'] === '#microsoft.graph.accessReviewInactiveUsersQueryScope';
  const days = /^P(\d+)D$/.exec(scope.inactiveDuration ?? '')?.[1];
  const who = inactive ? `Inactive ${guests ? 'guests' : 'users'} (${days ?? 'some'} days)` : guests ? 'Guests' : 'Members';
  if (query.startsWith('./')) return `${who} in all Microsoft 365 groups`;
  const groupId = reviewedGroupId(definition);
  if (groupId === undefined) return 'Other resources';
  return `${who} of ${groupNames.get(groupId) ?? 'a group'}`;
}

/** "One time", "Weekly", "Every 2 weeks", "Monthly", "Quarterly", "Semi-annually", "Annually", "Every 5 months". */
export function describeRecurrence(recurrence: PatternedRecurrence | null | undefined): string {
  const pattern = recurrence?.pattern;
  if (!pattern?.type) return 'One time';
  const interval = pattern.interval ?? 1;
  if (pattern.type === 'weekly') return interval === 1 ? 'Weekly' : `Every ${interval} weeks`;
  if (pattern.type === 'absoluteMonthly') {
    const named: Record<number, string> = { 1: 'Monthly', 3: 'Quarterly', 6: 'Semi-annually', 12: 'Annually' };
    return named[interval] ?? `Every ${interval} months`;
  }
  return 'Recurring';
}
