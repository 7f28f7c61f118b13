import fc from 'fast-check';
import { SignInPages } from '../../bot/auth/signInPages';
import { loadConfig } from '../../bot/config';
import { startBot, type BotProcess } from '../support/botProcess';
import { startLocalTenant, type LocalTenant } from '../support/localTenant';
import { rawRequest, type RawResponse } from './httpHarness';

/**
 * Issue 7 item 4: /auth/end reflected the OAuth `error` into an inline script. The page now shows one of a few
 * fixed messages, its scripts run only with the response's nonce, and every answer of the server (pages,
 * JSON, redirects, 404s) carries a Content-Security-Policy and `X-Content-Type-Options: nosniff`.
 */
const XSS = '</script><script>alert(document.domain)</script>';
const TEAMS_JS = 'https://res.cdn.office.net/teams-js/';

let tenant: LocalTenant;
let bot: BotProcess;

beforeAll(async () => {
  tenant = await startLocalTenant();
  bot = await startBot(tenant);
});
afterAll(async () => {
  await bot.stop();
  await tenant.dispose();
});

const scriptTags = (html: string): string[] => html.match(/<script\b[^>]*>/gi) ?? [];
const directives = (csp: string): Map<string, string[]> =>
  new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name = '', ...values]) => [name.toLowerCase(), values]));
const header = (response: RawResponse, name: string): string => {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value ?? '';
};

test('the XSS payload in ?error= never reaches the page; only the two fixed scripts run, by nonce', async () => {
  const response = await rawRequest(`${bot.url}/auth/end?error=${encodeURIComponent(XSS)}&error_description=${encodeURIComponent(XSS)}`);
  expect(response.status).toBe(200);
  expect(header(response, 'content-type')).toMatch(/^text\/html; charset=utf-8/);
  for (const fragment of ['alert', 'document.domain', '&lt;/script', '\\u003c']) expect(response.body).not.toContain(fragment);
  const tags = scriptTags(response.body);
  expect(tags).toHaveLength(2);
  expect(tags[0]).toContain(`src="${TEAMS_JS}`);
  const csp = directives(header(response, 'content-security-policy'));
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(csp.get('script-src')?.find((source) => source.startsWith("'nonce-")) ?? '')?.[1];
  expect(nonce).toBeDefined();
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(csp.get('script-src')).toContain('https://res.cdn.office.net');
  expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('form-action')).toEqual(["'none'"]);
  expect(header(response, 'x-content-type-options')).toBe('nosniff');
  expect(response.body).toContain('Sign-in did not finish');
});

test('each response gets its own nonce', async () => {
  const nonces = await Promise.all([1, 2].map(async () => /nonce="([^"]+)"/.exec((await rawRequest(`${bot.url}/auth/end`)).body)?.[1]));
  expect(nonces[0]).toBeDefined();
  expect(nonces[0]).not.toBe(nonces[1]);
});

test.each([
  [undefined, 'Signed in'],
  ['access_denied', 'cancelled'],
  ['consent_required', 'consent'],
  ['interaction_required', 'sign in again'],
  ['temporarily_unavailable', 'Sign-in did not finish'],
])('error %s shows a fixed message', async (error, message) => {
  const response = await rawRequest(`${bot.url}/auth/end${error === undefined ? '' : `?error=${error}`}`);
  expect(response.body).toContain(message);
});

test('whatever the error text, the page is one of a fixed set (up to the nonce)', () => {
  const pages = new SignInPages(loadConfig({}), 'http://127.0.0.1:9/authorize');
  const shape = (error: string | undefined): string => pages.endPage(error).html.replace(/nonce-[^']+'|nonce="[^"]+"/g, 'NONCE');
  const known = new Set([undefined, 'access_denied', 'consent_required', 'interaction_required', 'other'].map(shape));
  fc.assert(fc.property(fc.string(), (error) => known.has(shape(error))));
});

test.each([
  ['GET', '/healthz', 200],
  ['GET', '/auth/start?loginHint=adele%40contoso.local', 302],
  ['GET', '/auth/end', 200],
  ['GET', '/no/such/page', 404],
  ['GET', '/api/messages', 405],
  ['POST', '/api/messages', 400],
  ['POST', '/api/messages', 415],
])('%s %s (%i) is sent with nosniff and a Content-Security-Policy', async (method, path, status) => {
  const response = await rawRequest(`${bot.url}${path}`, {
    method, ...(method === 'POST' ? { headers: { 'content-type': status === 415 ? 'text/plain' : 'application/json' }, body: '{"no":"type"}' } : {}),
  });
  expect(response.status).toBe(status);
  expect(header(response, 'x-content-type-options')).toBe('nosniff');
  const csp = directives(header(response, 'content-security-policy'));
  expect(csp.get('default-src')).toEqual(["'none'"]);
  if (!header(response, 'content-type').startsWith('text/html')) expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
});
