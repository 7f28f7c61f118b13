import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDevConfig } from './devConfig';
import { startLocalTenant, type RunningLocalTenant } from './localTenant';
import { devLogger } from './log';
import { BOT_NODE_FLAGS } from './botRuntime';
import { startChild, stopChildren, waitForLine, waitForPort, type Child } from './processes';
import { DEMO_TENANT, DEMO_USERS } from './tenant/tenant';

const ROOT = resolve(__dirname, '..');
const BOT_ENTRY = join(ROOT, 'bot', 'index.ts');

const isListening = (line: string): boolean => {
  try {
    return (JSON.parse(line) as { msg?: string }).msg === 'listening';
  } catch {
    return false;
  }
};

function banner(tenant: RunningLocalTenant, botUrl: string, playgroundUrl: string | undefined, dataDir: string): string {
  const users = DEMO_USERS.map(({ id, note }) => {
    const user = DEMO_TENANT.users.find((u) => u.id === id);
    return `  ${(user?.userPrincipalName ?? id).padEnd(46)} ${note}`;
  });
  return [
    '',
    'The bot and its local tenant are running (no Microsoft cloud needed):',
    playgroundUrl ? `  Chat with the bot    ${playgroundUrl}   (Agents Playground, signed in as Adele Vance)` : '  Agents Playground    off (LOCAL_PLAYGROUND=off)',
    `  Bot                  ${botUrl}/api/messages   (health: ${botUrl}/healthz)`,
    `  Identity provider    ${tenant.idp.url}   (authority ${tenant.idp.authority})`,
    `  Graph emulator       ${tenant.graph.url}/v1.0   (control routes: ${tenant.graph.url}/_emulator)`,
    `  State                ${dataDir}   (npm run reset-local wipes it)`,
    '',
    'Demo users (tenant contoso.local):',
    ...users,
    '',
    'Try "help", "reviews" or "reviews active" in the Playground. Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/**
 * `npm start`. With MicrosoftAppId configured: only the bot, against real Entra ID and Graph. Without: the
 * identity provider and Graph emulator (in this process), the bot (SSO_MODE=local) and the Agents Playground
 * (unless LOCAL_PLAYGROUND=off). Ctrl-C or SIGTERM stops them all.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const node = process.execPath;
  if ((process.env.MicrosoftAppId ?? '').trim() !== '') {
    const bot = startChild('bot', node, [...BOT_NODE_FLAGS, '--import', 'tsx', BOT_ENTRY], process.env);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopChildren([bot]));
    process.exit((await bot.exited) ?? 1);
  }
  const log = devLogger('local');
  const config = loadDevConfig();
  const tenant = await startLocalTenant(config, log);
  const children: Child[] = [];
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await stopChildren(children);
    await tenant.close();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0));
  try {
    const botPort = Number(process.env.PORT ?? 3978);
    const bot = startChild('bot', node, [...BOT_NODE_FLAGS, '--import', 'tsx', BOT_ENTRY], {
      ...process.env, PORT: String(botPort), LOCAL_DATA_DIR: config.dataDir, SSO_MODE: process.env.SSO_MODE ?? 'local',
      GRAPH_BASE_URL: tenant.graph.url, AAD_METADATA_URL: `${tenant.idp.url}/.well-known/openid-configuration`,
      LOCAL_SSO_TOKEN_URL: `${tenant.idp.url}/dev/sso-token`,
    });
    children.push(bot);
    const listening = JSON.parse(await waitForLine(bot, isListening, 60_000)) as { url: string };
    let playgroundUrl: string | undefined;
    if ((process.env.LOCAL_PLAYGROUND ?? '').toLowerCase() !== 'off') {
      const port = Number(process.env.LOCAL_PLAYGROUND_PORT ?? 56150);
      const playground = startChild('playground', node, [join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js'), 'start',
        '-e', `${listening.url}/api/messages`, '-c', 'msteams', '--port', String(port), '--disable-telemetry'],
      { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' });
      children.push(playground);
      await waitForPort(port, '127.0.0.1', 60_000);
      playgroundUrl = `http://localhost:${port}`;
    }
    process.stdout.write(banner(tenant, listening.url, playgroundUrl, config.dataDir));
    const first = await Promise.race(children.map(async (child) => ({ child, code: await child.exited })));
    if (!stopping) {
      process.stderr.write(`${first.child.name} stopped (exit code ${String(first.code)}); stopping everything.\n`);
      await stop(1);
    }
  } catch (error) {
    process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
