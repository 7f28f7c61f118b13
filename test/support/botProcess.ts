import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { BOT_NODE_FLAGS } from '../../dev/botRuntime';
import type { LocalTenant } from './localTenant';

const ROOT = resolve(__dirname, '..', '..');

/** The real bot (`bot/index.ts`) in its own process, configured against a local tenant. */
export interface BotProcess {
  url: string;
  messagesUrl: string;
  dataDir: string;
  /** Every line the process wrote (stdout and stderr), for assertions and the token scan. */
  lines: string[];
  /** The bot process's id (for RSS sampling in benchmarks). */
  pid?: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the bot on a free port with its own data directory (or `dataDir`, to restart on the same state),
 * pointed at `tenant`. `env` overrides any setting (SSO_MODE, MicrosoftAppId, …).
 */
export async function startBot(tenant: LocalTenant, options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<BotProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bot-'));
  const child: ChildProcess = spawn(process.execPath, [...BOT_NODE_FLAGS, '--import', 'tsx', join(ROOT, 'bot', 'index.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '--no-deprecation',
      PORT: '0', LOCAL_DATA_DIR: dataDir, LOG_LEVEL: 'info', SSO_MODE: 'teams',
      GRAPH_BASE_URL: tenant.graph, AAD_METADATA_URL: `${tenant.idp}/.well-known/openid-configuration`,
      LOCAL_SSO_TOKEN_URL: `${tenant.idp}/dev/sso-token`,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start in 30 s:\n${lines.join('\n')}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'listening' && record.url) {
          clearTimeout(timer);
          resolveUrl(record.url);
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
    url, messagesUrl: `${url}/api/messages`, dataDir, lines, pid: child.pid,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
