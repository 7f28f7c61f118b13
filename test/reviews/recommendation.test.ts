import fc from 'fast-check';
import { lookBackDays, parseSignIn, principalKind, recommendationWords } from '../../reviews/recommendation';

const NOW = Date.parse('2025-06-02T09:00:00Z');

/** A sign-in as real Graph writes it on a decision item: "M/D/YYYY h:mm:ss AM +00:00" in the tenant's offset. */
function localeString(at: number, offsetMinutes: number): string {
  const shifted = new Date(at + offsetMinutes * 60_000);
  const hour = shifted.getUTCHours();
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${shifted.getUTCMonth() + 1}/${shifted.getUTCDate()}/${shifted.getUTCFullYear()} ${h12}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())} ` +
    `${hour < 12 ? 'AM' : 'PM'} ${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

test('locale strings and ISO instants come back as the instant they name, in any offset', () => {
  fc.assert(fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (ms, offset) => {
    const at = Math.floor(ms / 1000) * 1000;
    expect(parseSignIn(localeString(at, offset))).toBe(at);
    expect(parseSignIn(new Date(at).toISOString())).toBe(at);
  }));
});

test('what is not a sign-in is undefined, never a guess and never a throw', () => {
  expect(parseSignIn('')).toBeUndefined();
  expect(parseSignIn(null)).toBeUndefined();
  expect(parseSignIn('0001-01-01T00:00:00Z')).toBeUndefined();
  expect(parseSignIn('2/30/2022 5:31:37 PM +00:00')).toBeUndefined();
  expect(parseSignIn('13/1/2022 5:31:37 PM +00:00')).toBeUndefined();
  expect(parseSignIn('2/11/2022 5:31:37 PM +00:00')).toBe(Date.parse('2022-02-11T17:31:37Z'));
  expect(parseSignIn('2/11/2022 12:05:00 AM -05:00')).toBe(Date.parse('2022-02-11T05:05:00Z'));
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => {
    const at = parseSignIn(text);
    expect(at === undefined || Number.isFinite(at)).toBe(true);
  }));
});

test('the reason in words: days since the last sign-in against the look-back window', () => {
  const settings = { recommendationsEnabled: true, lookBack: 'P30D' };
  expect(recommendationWords({ recommendation: 'Deny', lastSignIn: '11/14/2024 9:00:00 AM +00:00' }, settings, NOW))
    .toBe('Deny recommended: last sign-in 200 days ago (look-back 30 days)');
  expect(recommendationWords({ recommendation: 'Deny', lastSignIn: '' }, settings, NOW)).toBe('Deny recommended: no sign-in on record (look-back 30 days)');
  expect(recommendationWords({ recommendation: 'Approve', lastSignIn: '2025-05-31T08:00:00Z' }, { lookBack: 'P4W' }, NOW))
    .toBe('Approve recommended: last sign-in 2 days ago (look-back 28 days)');
  expect(recommendationWords({ recommendation: 'NoInfoAvailable', lastSignIn: null }, settings, NOW)).toBe('No recommendation: no sign-in information');
  expect(recommendationWords({ recommendation: 'Deny', lastSignIn: '' }, { recommendationsEnabled: false }, NOW)).toBe('No recommendation (recommendations are off for this review)');
  expect(lookBackDays('P90D')).toBe(90);
  expect(lookBackDays('PT5H')).toBe(30);
});

test('principal kinds', () => {
  expect(principalKind({ type: 'user', userPrincipalName: 'a_fabrikam.test#EXT#@contoso.local' })).toBe('Guest');
  expect(principalKind({ type: 'user', userPrincipalName: 'alex@contoso.local' })).toBe('Member');
  expect(principalKind({ type: 'group', userPrincipalName: null })).toBe('Group');
  expect(principalKind({ type: 'servicePrincipal', userPrincipalName: null })).toBe('Application');
});
