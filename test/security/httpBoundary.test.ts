import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import { SignInPages } from '../../bot/auth/signInPages';
import { loadConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import { createServer } from '../../bot/server';
import type { TeamsBot } from '../../bot/teamsBot';
import { BOT_APP_ID, TENANT_ID } from '../../dev/tenant/tenant';
import type { BotProcess } from '../support/botProcess';
import { ssoToken, startLocalTenant, type LocalTenant } from '../support/localTenant';
import { USERS } from '../support/teamsClient';
import {
  closed, endlessUpload, entriesOf, formBody, gzipBomb, healthStatus, listening, MULTIPART_BOUNDARY, multipartBody, peakRssMb, rawRequest, startProductionBot,
} from './httpHarness';

/**
 * Issue 7 items 3, 9b and 10: what reaches the production-mode bot before Bot Framework authentication.
 * Only a JSON body without Content-Encoding is read, and only up to 512 KB; no form or multipart parser is
 * reachable on any route; a refused token gets a plain 401 (the reason goes to the log, not to the caller).
 */
const ACTIVITY = { type: 'message', id: 'a1', text: 'help', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: '29:adele' },
  conversation: { id: 'a:x' }, recipient: { id: `28:${BOT_APP_ID}` } };

describe('the production-mode bot, over HTTP', () => {
  let tenant: LocalTenant;
  let bot: BotProcess;
  let botTmp: string;

  beforeAll(async () => {
    tenant = await startLocalTenant();
    botTmp = mkdtempSync(join(tmpdir(), 'bot-tmp-'));
    bot = await startProductionBot(tenant, { tmpDir: botTmp });
  });
  afterAll(async () => {
    rmSync(botTmp, { recursive: true, force: true });
    await bot.stop();
    await tenant.dispose();
  });

  test('a gzip bomb without Authorization is refused with 415 without being inflated; the bot stays up', async () => {
    const bomb = await gzipBomb(150);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const peakBefore = peakRssMb(bot.pid);
    const response = await rawRequest(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    expect(response.status).toBe(415);
    expect(await healthStatus(bot)).toBe(200);
    const peakAfter = peakRssMb(bot.pid);
    // Inflating would have cost at least the 150 MB of text; the body is never decoded, so the peak barely moves.
    if (peakBefore !== undefined && peakAfter !== undefined) expect(peakAfter - peakBefore).toBeLessThan(64);
  });

  test.each([
    ['multipart/form-data with a file', `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`, undefined, multipartBody(ACTIVITY)],
    ['an url-encoded form', 'application/x-www-form-urlencoded', undefined, formBody],
    ['JSON sent as text/plain', 'text/plain', undefined, JSON.stringify(ACTIVITY)],
    ['JSON in another charset', 'application/json; charset=utf-16', undefined, JSON.stringify(ACTIVITY)],
    ['JSON without a content type', undefined, undefined, JSON.stringify(ACTIVITY)],
    ['JSON with Content-Encoding deflate', 'application/json', 'deflate', JSON.stringify(ACTIVITY)],
  ])('%s is refused with 415, nothing lands in the temp folder, the bot stays up', async (_name, contentType, encoding, body) => {
    const before = entriesOf(botTmp);
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['content-type'] = contentType;
    if (encoding !== undefined) headers['content-encoding'] = encoding;
    const response = await rawRequest(bot.messagesUrl, { method: 'POST', headers, body });
    expect({ status: response.status, leftInTmp: entriesOf(botTmp).filter((entry) => !before.includes(entry)) }).toEqual({ status: 415, leftInTmp: [] });
    expect(await healthStatus(bot)).toBe(200);
  });

  test.each([
    ['with a Content-Length', true],
    ['chunked (no Content-Length)', false],
  ])('JSON over 512 KB %s is refused with 413; the bot stays up', async (_name, withLength) => {
    const body = JSON.stringify({ ...ACTIVITY, text: 'x'.repeat(600 * 1024) });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (withLength) headers['content-length'] = String(Buffer.byteLength(body));
    else headers['transfer-encoding'] = 'chunked';
    const response = await rawRequest(bot.messagesUrl, { method: 'POST', headers, body });
    expect(response.status).toBe(413);
    expect(await healthStatus(bot)).toBe(200);
  });

  test('an endless JSON upload is cut off soon after the cap (not read to its end); the bot stays up', async () => {
    const { outcome, sent } = await endlessUpload(bot.messagesUrl, 256 * 1024 * 1024);
    expect(outcome).toBe('cut');
    // 512 KB read, at most 1 MB more thrown away, plus what the sockets' buffers held when the bot hung up.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(await healthStatus(bot)).toBe(200);
  });

  test.each([
    ['malformed JSON', '{"type":"message",'],
    ['a JSON array', '[{"type":"message"}]'],
    ['JSON null', 'null'],
    ['an activity without a type', '{"text":"help"}'],
  ])('%s is refused with 400; the bot stays up', async (_name, body) => {
    const response = await rawRequest(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(await healthStatus(bot)).toBe(200);
  });

  test('a JSON activity (charset utf-8) without a token reaches the JWT check: 401', async () => {
    const response = await rawRequest(bot.messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(ACTIVITY) });
    expect(response.status).toBe(401);
  });

  test.each([
    ['a token signed by someone else', 'forged'],
    ['a token for another audience (a user token of the tenant)', 'sso'],
  ])('%s gets a plain 401; the reason is only in the log', async (_name, kind) => {
    const token = kind === 'forged'
      ? jwt.sign({ aud: BOT_APP_ID, iss: 'https://api.botframework.com', serviceurl: ACTIVITY.serviceUrl }, 'secret', { expiresIn: 300 })
      : await ssoToken(tenant, USERS.adele.aadObjectId);
    const from = bot.lines.length;
    const response = await rawRequest(bot.messagesUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(ACTIVITY),
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ error: 'Unauthorized' });
    for (const word of ['AppId', 'token', 'issuer', 'audience', 'Signing', 'algorithm']) expect(response.body.toLowerCase()).not.toContain(word.toLowerCase());
    const line = await bot.waitForLine((l) => l.includes('"msg":"activity refused"') && l.includes('"status":401'), { from });
    expect(JSON.parse(line)).toMatchObject({ reason: expect.stringMatching(/\w/) as string });
    expect(line).not.toContain(token);
  });
});

describe('no form or multipart parser on any route (in process)', () => {
  let uploads = '';
  const savedTmp = process.env.TMPDIR;
  // restify loads formidable when it is imported (plugins/index.js requires every plugin), so "formidable is
  // not loaded" cannot be the test; "formidable never parses a request" can, with a spy on its parse.
  const formidable = jest.requireActual<{ IncomingForm: { prototype: { parse(...args: unknown[]): unknown } } }>('formidable');
  const parse = jest.spyOn(formidable.IncomingForm.prototype, 'parse');
  // The adapter's stand-in answers 204 through botbuilder's Response interface, as CloudAdapter would.
  const processed = jest.fn((_req: unknown, res: { status(code: number): unknown; end(): unknown }) => {
    res.status(204);
    res.end();
    return Promise.resolve();
  });
  let server: restify.Server;
  let base = '';

  beforeAll(async () => {
    uploads = mkdtempSync(join(tmpdir(), 'uploads-'));
    process.env.TMPDIR = uploads; // formidable writes uploads to os.tmpdir()
    const config = loadConfig({ MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'x', MicrosoftAppTenantId: TENANT_ID, PUBLIC_BASE_URL: 'https://bot.contoso.example' });
    server = createServer({
      adapter: { process: processed } as unknown as CloudAdapter, bot: {} as TeamsBot, health: [],
      signIn: new SignInPages(config, 'http://127.0.0.1:9/authorize'), log: createLogger('silent'), localMode: config.localMode,
    });
    base = await listening(server);
  });
  afterAll(async () => {
    await closed(server);
    process.env.TMPDIR = savedTmp;
    if (savedTmp === undefined) delete process.env.TMPDIR;
    rmSync(uploads, { recursive: true, force: true });
  });
  beforeEach(() => {
    parse.mockClear();
    processed.mockClear();
  });

  const routes = (): Array<{ method: string; path: string }> => Object.values(server.router.getRoutes())
    .map((route) => ({ method: route.method, path: String(route.path).replace(/:(\w+)/g, 'x') }));

  test('the spy sees formidable when a multipart parser is mounted (the detector works)', async () => {
    const app = restify.createServer();
    const canaryUploads = mkdtempSync(join(tmpdir(), 'canary-uploads-'));
    app.post('/upload', restify.plugins.multipartBodyParser({ uploadDir: canaryUploads }), (_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.send(204);
      next();
    });
    await new Promise<void>((resolve) => {
      app.listen(0, '127.0.0.1', resolve);
    });
    try {
      await rawRequest(`http://127.0.0.1:${app.address().port}/upload`, {
        method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${MULTIPART_BOUNDARY}` }, body: multipartBody(ACTIVITY),
      });
      expect(parse).toHaveBeenCalled();
      expect(entriesOf(canaryUploads).length).toBeGreaterThan(0); // and it leaves the upload behind
    } finally {
      await new Promise<void>((resolve) => {
        app.close(() => resolve());
      });
      rmSync(canaryUploads, { recursive: true, force: true });
    }
  });

  test('the server has routes to check, and no body-parsing handler in any chain', () => {
    expect(routes().length).toBeGreaterThanOrEqual(4);
    const names = [server.preChain, server.useChain, ...Object.values(server.router.getRoutes()).map((route) => route.chain)]
      .flatMap((chain) => chain.getHandlers().map((handler) => handler.name));
    const bodyPlugins = ['parseBody', 'readBody', 'parseMultipartBody', 'parseUrlEncodedBody', 'parseJson', 'parseFieldedText'];
    expect(names.filter((name) => bodyPlugins.includes(name))).toEqual([]);
  });

  test.each([
    ['multipart/form-data', `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`, multipartBody(ACTIVITY)],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', formBody],
  ])('%s on every route: never parsed, never handled, no file left', async (_name, contentType, body) => {
    const before = entriesOf(uploads);
    for (const { method, path } of routes()) {
      const bare = await rawRequest(`${base}${path}`, { method });
      const handled = processed.mock.calls.length;
      const withForm = await rawRequest(`${base}${path}`, { method, headers: { 'content-type': contentType }, body });
      expect({ method, path, handledByAdapter: processed.mock.calls.length - handled }).toEqual({ method, path, handledByAdapter: 0 });
      // The form either is refused, or changes nothing: the route answers as it does without a body.
      if (withForm.status < 400) expect({ method, path, status: withForm.status }).toEqual({ method, path, status: bare.status });
      if (method === 'POST') expect({ method, path, status: withForm.status }).toEqual({ method, path, status: 415 });
    }
    expect(parse).not.toHaveBeenCalled();
    expect(entriesOf(uploads)).toEqual(before);
  });
});
