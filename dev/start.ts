import { existsSync } from 'node:fs';
import { loadDevConfig } from './devConfig';
import { startLocalTenant } from './localTenant';
import { devLogger } from './log';
import { DEMO_TENANT, DEMO_USERS } from './tenant/tenant';

/**
 * `npm start`: with no Teams credentials (MicrosoftAppId empty), the whole local tenant on 127.0.0.1.
 * The bot and the Agents Playground join it as they are built (issue 3); Ctrl-C or SIGTERM stops everything.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const log = devLogger('local');
  if ((process.env.MicrosoftAppId ?? '').trim() !== '') {
    process.stderr.write('MicrosoftAppId is set: this is a real-tenant configuration. The bot process arrives with the next issue; ' +
      'unset MicrosoftAppId to run the local tenant.\n');
    process.exit(1);
  }
  const config = loadDevConfig();
  const tenant = await startLocalTenant(config, log);
  const users = DEMO_USERS.map(({ id, note }) => {
    const user = DEMO_TENANT.users.find((u) => u.id === id);
    return `  ${(user?.userPrincipalName ?? id).padEnd(48)} ${note}`;
  });
  process.stdout.write([
    '',
    'Local tenant is running (no Microsoft cloud needed):',
    `  Identity provider   ${tenant.idp.url}   (authority ${tenant.idp.authority}, JWKS ${tenant.idp.url}/jwks)`,
    `  Graph emulator      ${tenant.graph.url}/v1.0   (control routes under ${tenant.graph.url}/_emulator)`,
    `  State               ${config.dataDir}   (npm run reset-local wipes it)`,
    '',
    'Demo users (tenant contoso.local):',
    ...users,
    '',
    'Try: curl -s -XPOST ' + `${tenant.idp.url}/dev/sso-token -H 'content-type: application/json' -d '{"user":"adele@contoso.local"}'`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    tenant.close().then(() => process.exit(0), (error: unknown) => {
      log.error({ err: error }, 'stopping the local tenant failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
