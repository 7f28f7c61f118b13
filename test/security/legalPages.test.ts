import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { SignInPages } from '../../bot/auth/signInPages';
import { loadConfig } from '../../bot/config';
import { LEGAL_FILES, legalPageRoute, legalPagesDir, renderLegalPage } from '../../bot/http/legalPages';
import { STRICT_POLICY, securityHeaders } from '../../bot/http/securityHeaders';
import { createLogger } from '../../bot/logger';
import { createServer } from '../../bot/server';
import type { TeamsBot } from '../../bot/teamsBot';
import { closed, listening, rawRequest } from './httpHarness';

/**
 * Issue 14 item 5: the privacy statement and terms of use the Teams manifest links to are served by the bot at
 * /privacy and /terms: public (no token), GET only, text from manifest/privacy.md and terms.md (an administrator's
 * to edit), everything escaped, with the security headers of every other answer.
 */
const config = loadConfig({ MicrosoftAppId: 'aaaaaaaa-0000-4000-8000-000000000001', MicrosoftAppPassword: 'x', MicrosoftAppTenantId: 'bbbbbbbb-0000-4000-8000-000000000002', PUBLIC_BASE_URL: 'https://bot.contoso.example' });
const firstHeading = (file: string): string => /^# (.+)$/m.exec(readFileSync(join(legalPagesDir(), file), 'utf8'))?.[1] ?? '';

describe('the production bot\'s server', () => {
  let server: restify.Server;
  let base = '';
  const processed = jest.fn();
  beforeAll(async () => {
    server = createServer({
      adapter: { process: processed } as unknown as CloudAdapter, bot: {} as TeamsBot, health: [],
      signIn: new SignInPages(config, 'http://127.0.0.1:9/authorize'), log: createLogger('silent'), localMode: false,
    });
    base = await listening(server);
  });
  afterAll(async () => {
    await closed(server);
  });

  test.each([['/privacy', LEGAL_FILES.privacy], ['/terms', LEGAL_FILES.terms]])('GET %s: 200 text/html with the file\'s text, security headers, no sign-in', async (path, file) => {
    const response = await rawRequest(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe(STRICT_POLICY);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const heading = firstHeading(file);
    expect(heading.length).toBeGreaterThan(3);
    expect(response.body).toContain(`<title>${heading}</title>`);
    expect(response.body).toContain(`<h1>${heading}</h1>`);
    expect(response.body).not.toMatch(/<script|<style|<link|<form/i);
    expect(processed).not.toHaveBeenCalled();
  });

  test.each(['POST', 'PUT', 'DELETE'])('%s /privacy is not allowed (405), still with the security headers', async (method) => {
    const response = await rawRequest(`${base}/privacy`, method === 'DELETE' ? { method } : { method, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers['content-security-policy']).toBe(STRICT_POLICY);
  });
});

describe('the page text (an administrator\'s file)', () => {
  let dir: string;
  let server: restify.Server;
  let base = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'legal-'));
    server = restify.createServer();
    server.pre(securityHeaders);
    server.get('/privacy', legalPageRoute('privacy', createLogger('silent'), dir));
    server.get('/terms', legalPageRoute('terms', createLogger('silent'), dir));
    base = await listening(server);
  });
  afterAll(async () => {
    await closed(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an edit shows at the next request, without a restart', async () => {
    writeFileSync(join(dir, LEGAL_FILES.privacy), '# Contoso privacy\n\nFirst text.\n');
    expect((await rawRequest(`${base}/privacy`)).body).toContain('<p>First text.</p>');
    writeFileSync(join(dir, LEGAL_FILES.privacy), '# Contoso privacy\n\nSecond text.\n');
    expect((await rawRequest(`${base}/privacy`)).body).toContain('<p>Second text.</p>');
  });

  test('a missing file answers 404 (no page rather than an empty one)', async () => {
    expect((await rawRequest(`${base}/terms`)).status).toBe(404);
  });

  test('markup in the file is shown as text, never run', () => {
    const html = renderLegalPage('# A <b>title</b>\n\n<script>alert(1)</script> & "quotes"\n\n- item <img src=x onerror=alert(1)>\n- two', 'Fallback');
    expect(html).toContain('<title>A &lt;b&gt;title&lt;/b&gt;</title>');
    expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</p>');
    expect(html).toContain('<ul><li>item &lt;img src=x onerror=alert(1)&gt;</li><li>two</li></ul>');
    expect(html).not.toMatch(/<script|<img/);
    expect(renderLegalPage('just text', 'Terms of use')).toContain('<title>Terms of use</title>');
  });
});
