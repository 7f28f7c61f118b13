/**
 * A decision item's recommendation and its reason, in words (issue 13: "last sign-in 200 days ago → deny"). Graph
 * recommends from the principal's last interactive sign-in against the review's look-back window (30 days unless
 * `recommendationLookBackDuration` says otherwise); the item carries `principal.lastUserSignInDateTime`, which real
 * Graph sends as a locale string ("2/11/2022 5:31:37 PM +00:00"), ISO 8601, or "" (never, or unknown).
 */

const DAY_MS = 86_400_000;
const LOCALE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M) ([+-])(\d{2}):(\d{2})$/i;

/** The instant of a sign-in as Graph sends it, or undefined (empty, Graph's "never" year 1, or unreadable). */
export function parseSignIn(value: string | null | undefined): number | undefined {
  const text = (value ?? '').trim();
  if (text === '' || text.length > 64) return undefined;
  const locale = LOCALE.exec(text);
  let at: number;
  if (locale !== null) {
    const [month, day, year, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((n) => Number(locale[n]));
    const pm = (locale[7] ?? '').toUpperCase() === 'PM';
    if (month === undefined || day === undefined || year === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 1 || hour > 12 || minute > 59 || second > 59) return undefined;
    const hours24 = (hour % 12) + (pm ? 12 : 0);
    const offset = (locale[8] === '-' ? -1 : 1) * (Number(locale[9]) * 60 + Number(locale[10])) * 60_000;
    at = Date.UTC(year, month - 1, day, hours24, minute, second) - offset;
    // 2/30/2022 is not a date: Date.UTC would roll it into March.
    if (new Date(at + offset).getUTCDate() !== day) return undefined;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.test(text)) {
    at = Date.parse(text);
  } else {
    return undefined;
  }
  if (!Number.isFinite(at) || new Date(at).getUTCFullYear() < 1900) return undefined;
  return at;
}

/** Days in an ISO 8601 duration of days or weeks (`P30D`, `P4W`), else 30 (Graph's default look-back). */
export function lookBackDays(duration: string | null | undefined): number {
  const match = /^P(?:(\d{1,4})W|(\d{1,4})D)$/i.exec((duration ?? '').trim());
  if (match === null) return 30;
  return match[1] !== undefined ? Number(match[1]) * 7 : Number(match[2]);
}

const days = (n: number): string => (n === 1 ? '1 day' : `${n.toLocaleString('en-US')} days`);

function sinceWords(at: number, now: number): string {
  const ago = Math.floor((now - at) / DAY_MS);
  if (ago <= 0) return 'last sign-in today';
  return `last sign-in ${days(ago)} ago`;
}

/** What the recommendation says and why, e.g. "Deny recommended: last sign-in 200 days ago (look-back 30 days)". */
export function recommendationWords(item: { recommendation: string | null; lastSignIn: string | null }, settings: { recommendationsEnabled?: boolean | null; lookBack?: string | null }, now: number): string {
  if (settings.recommendationsEnabled === false) return 'No recommendation (recommendations are off for this review)';
  const at = parseSignIn(item.lastSignIn);
  const window = `look-back ${days(lookBackDays(settings.lookBack))}`;
  switch ((item.recommendation ?? '').toLowerCase()) {
    case 'deny':
      return `Deny recommended: ${at === undefined ? 'no sign-in on record' : sinceWords(at, now)} (${window})`;
    case 'approve':
      return `Approve recommended: ${at === undefined ? 'active' : sinceWords(at, now)} (${window})`;
    default:
      return at === undefined ? 'No recommendation: no sign-in information' : `No recommendation (${sinceWords(at, now)})`;
  }
}

/** A principal's kind in words: a guest (an `#EXT#` user principal name), a member, a group, an application. */
export function principalKind(principal: { type: string | null; userPrincipalName: string | null }): string {
  const type = (principal.type ?? '').toLowerCase();
  if (type === 'group') return 'Group';
  if (type === 'serviceprincipal') return 'Application';
  return (principal.userPrincipalName ?? '').toLowerCase().includes('#ext#') ? 'Guest' : 'Member';
}
