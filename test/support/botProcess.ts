import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
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
 */
export function startProductionBot(tenant: LocalTenant, options: { env?: Record<string, string>; dataDir?: string } = {}): Promise<BotProcess> {
  return spawnBot(PRODUCTION_MODE_ENTRY, {
    MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_APP_SECRET, MicrosoftAppTenantId: TENANT_ID,
    HOST: '127.0.0.1', PUBLIC_BASE_URL: 'https://bot.contoso.example', LOG_LEVEL: 'debug',
    TEST_BOT_OPENID_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`, TEST_BOT_TOKEN_ISSUER: 'https://api.botframework.com',
    ...options.env,
  }, options.dataDir);
}

/** Spawns `entry` with only PATH, HOME and the given settings in its environment (nothing leaks from the test's). */
async function spawnBot(entry: string, env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'bot-'))): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [...BOT_NODE_FLAGS, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '--no-deprecation', PORT: '0', LOCAL_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
    url, messagesUrl: `${url}/api/messages`, dataDir, lines, waitForLine, pid: child.pid,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
