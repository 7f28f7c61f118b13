import { loadDevConfig } from './devConfig';
import { startLocalTenant } from './localTenant';
import { devLogger } from './log';

/**
 * The local tenant alone, for tests and scripts: prints one JSON line `{"ready": true, ...urls}` on stdout
 * once both pieces listen (ports 0 = any free port), and stops on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const log = devLogger('local-tenant');
  const tenant = await startLocalTenant(loadDevConfig(), log);
  process.stdout.write(`${JSON.stringify({
    ready: true, idp: tenant.idp.url, graph: tenant.graph.url, authority: tenant.idp.authority,
    issuer: tenant.idp.issuer, authorityMetadata: tenant.idp.authorityMetadata,
  })}\n`);
  const stop = (): void => {
    tenant.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local tenant failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
