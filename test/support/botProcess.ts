import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import jwt from 'jsonwebtoken';
import { BOT_NODE_FLAGS } from '../../dev/botRuntime';
import { BOT_APP_ID, BOT_APP_SECRET, TENANT_ID } from '../../dev/tenant/tenant';
import type { LocalTenant } from './localTenant';

const ROOT = resolve(__dirname, '..', '..');
const BOT_ENTRY = join(ROOT, 'bot', 'index.ts');
const PRODUCTION_MODE_ENTRY = join(ROOT, 'test', 'support', 'productionModeBot.ts');

/** The real bot in its own process: `bot/index.ts` against a local tenant, or the production-mode test entry. */
export interface BotProcess {
  url: string;
  messagesUrl: string;
  dataDir: string;
  /** Every line the process wrote (stdout and stderr), for assertions and the token scan. */
  lines: string[];
  /**
   * Resolves with the first line from index `from` on (already written or still to come) matching `predicate`:
   * the bot's output reaches the test asynchronously, after the HTTP answer.
   */
  waitForLine(predicate: (line: string) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** The bot process's id (for RSS sampling in benchmarks). */
  pid?: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the bot on a free port with its own data directory (or `dataDir`, to restart on the same state),
 * pointed at `tenant` in local mode. `env` overrides any setting (SSO_MODE, LOG_LEVEL, …). For a bot with an
 * app id use {@link startProductionBot}: the production rules refuse these local-tenant keys.
 */
export function startBot(tenant: LocalTenant, options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<BotProcess> {
  return spawnBot(BOT_ENTRY, {
    SSO_MODE: 'teams', GRAPH_BASE_URL: tenant.graph, AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`,
    LOCAL_SSO_TOKEN_URL: `${tenant.idp}/dev/sso-token`,
    ...options.env,
  }, options.dataDir);
}

/**
 * Starts the bot in production mode (an app id: Bot Framework authentication on, the production configuration
 * rules) through the test entry test/support/productionModeBot.ts, whose only difference from bot/index.ts is
 * that channel tokens are checked against `tenant`'s identity provider (TEST_BOT_* keys, read by that entry
 * alone). The environment is clean: no local-tenant key, Graph and Entra ID left at Microsoft's hosts (never
 * contacted: msal fetches nothing until a token is needed, and a refused activity needs none).
 * The bot's own token for its calls to the connector comes from `tenant`'s identity provider (TEST_BOT_CONNECTOR_*
 * keys, also read by that entry alone), so an activity with a channel token from {@link signChannelToken} runs a
 * whole turn offline.
 */
export function startProductionBot(tenant: LocalTenant, options: { env?: Record<string, string>; dataDir?: string } = {}): Promise<BotProcess> {
  return spawnBot(PRODUCTION_MODE_ENTRY, {
    MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_APP_SECRET, MicrosoftAppTenantId: TENANT_ID,
    HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://bot.contoso.example', LOG_LEVEL: 'debug',
    TEST_BOT_OPENID_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`, TEST_BOT_TOKEN_ISSUER: 'https://api.botframework.com',
    TEST_BOT_CONNECTOR_AUTHORITY: tenant.authority, TEST_BOT_CONNECTOR_AUTHORITY_METADATA: tenant.authorityMetadata,
    ...options.env,
  }, options.dataDir);
}

/**
 * Spawns `entry` with only PATH, HOME and the given settings in its environment (nothing leaks from the test's);
 * `nodeFlags` are added to the bot's own, `ipc` opens an IPC channel (see {@link startBotWithIpc}).
 */
async function spawnBot(entry: string, env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'bot-')),
  { nodeFlags = [], ipc = false }: { nodeFlags?: readonly string[]; ipc?: boolean } = {}): Promise<BotProcess & { child: ChildProcess }> {
  const child: ChildProcess = spawn(process.execPath, [...BOT_NODE_FLAGS, ...nodeFlags, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '--no-deprecation', PORT: '0', LOCAL_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const newLine = new EventEmitter();
  const record = (line: string): void => {
    lines.push(line);
    newLine.emit('line', line);
  };
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', record);
  // 'close', not 'exit': only then has everything the process wrote been read into `lines`.
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const waitForLine: BotProcess['waitForLine'] = (predicate, { from = 0, timeoutMs = 5000 } = {}) => {
    const seen = lines.slice(from).find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => {
        newLine.off('line', check);
        reject(new Error(`no matching bot log line within ${timeoutMs} ms`));
      }, timeoutMs);
      function check(line: string): void {
        if (!predicate(line)) return;
        clearTimeout(timer);
        newLine.off('line', check);
        resolveLine(line);
      }
      newLine.on('line', check);
    });
  };
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start in 30 s:\n${lines.join('\n')}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      record(line);
      try {
        const parsed = JSON.parse(line) as { msg?: string; url?: string };
        if (parsed.msg === 'listening' && parsed.url) {
          clearTimeout(timer);
          resolveUrl(parsed.url);
        }
      } catch {
        // Not a log record (a warning line): kept in `lines` for inspection.
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${String(code)}:\n${lines.join('\n')}`));
    });
  });
  return {
    url, messagesUrl: `${url}/api/messages`, dataDir, lines, waitForLine, pid: child.pid, child,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * A channel token as the Bot Connector service signs one for the bot (iss https://api.botframework.com, aud the
 * bot's app id, `serviceurl` where the bot must answer), signed with the key of `tenant`'s identity provider,
 * whose OpenID configuration the bot of {@link startProductionBot} trusts as the channel's. The key is read from
 * the tenant's data directory, where the identity provider keeps it (`identity/signing-keys.json`).
 */
export function signChannelToken(tenant: LocalTenant, serviceUrl: string, expiresInSeconds = 3600): string {
  const [key] = JSON.parse(readFileSync(join(tenant.dataDir, 'identity', 'signing-keys.json'), 'utf8')) as JsonWebKey[];
  if (key === undefined || typeof key.kid !== 'string') throw new Error(`no signing key with a kid in ${tenant.dataDir}/identity`);
  return jwt.sign({ serviceurl: serviceUrl }, createPrivateKey({ key, format: 'jwk' }), {
    algorithm: 'RS256', keyid: key.kid, issuer: 'https://api.botframework.com', audience: BOT_APP_ID, expiresIn: expiresInSeconds,
  });
}

/** A bot process with an IPC channel to an entry that answers messages (bench/heapProbeBot.ts answers `{ gc: true }`). */
export interface IpcBotProcess extends BotProcess {
  /** Sends `message` and resolves with the process's next IPC message (one request at a time). */
  request(message: object, timeoutMs?: number): Promise<unknown>;
}

/**
 * Starts `entry` as {@link startBot} starts bot/index.ts (local mode against `tenant`), with extra Node flags
 * (e.g. `--expose-gc`, for a benchmark's process only) and an IPC channel.
 */
export async function startBotWithIpc(entry: string, tenant: LocalTenant,
  options: { nodeFlags?: readonly string[]; env?: Record<string, string>; dataDir?: string } = {}): Promise<IpcBotProcess> {
  const bot = await spawnBot(entry, {
    SSO_MODE: 'teams', GRAPH_BASE_URL: tenant.graph, AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`,
    LOCAL_SSO_TOKEN_URL: `${tenant.idp}/dev/sso-token`,
    ...options.env,
  }, options.dataDir, { nodeFlags: options.nodeFlags, ipc: true });
  const { child } = bot;
  const request: IpcBotProcess['request'] = (message, timeoutMs = 30_000) => new Promise((resolveReply, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no IPC answer from the bot within ${timeoutMs} ms`));
    }, timeoutMs);
    function onMessage(reply: unknown): void {
      clearTimeout(timer);
      resolveReply(reply);
    }
    child.once('message', onMessage);
    child.send(message);
  });
  return { ...bot, request };
}
