import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DevConfig } from './devConfig';
import { startGraphEmulator, type RunningGraphEmulator } from './graph/server';
import { startIdentityProvider, type RunningIdentityProvider } from './identity/server';
import { DEMO_TENANT } from './tenant/tenant';

export interface RunningLocalTenant {
  idp: RunningIdentityProvider;
  graph: RunningGraphEmulator;
  close(): Promise<void>;
}

/** Starts the identity provider, then the Graph emulator that trusts its tokens; state under `dataDir`. */
export async function startLocalTenant(config: DevConfig, log: Logger): Promise<RunningLocalTenant> {
  const idp = await startIdentityProvider({
    host: config.host, port: config.idpPort, tenant: DEMO_TENANT, dataDir: join(config.dataDir, 'identity'), log: log.child({ piece: 'identity' }),
  });
  try {
    const graph = await startGraphEmulator({
      host: config.host, port: config.graphPort, dbFile: join(config.dataDir, 'graph', 'graph.sqlite'), tenant: DEMO_TENANT,
      jwksUrl: `${idp.url}/jwks`, issuer: idp.issuer, log: log.child({ piece: 'graph' }),
    });
    return {
      idp, graph,
      close: async () => {
        await graph.close();
        await idp.close();
      },
    };
  } catch (error) {
    await idp.close();
    throw error;
  }
}
