import { resolve } from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Settings of the local tenant (dev/ only; the bot reads its own configuration in bot/config.ts). */
const DevConfigSchema = z.object({
  LOCAL_HOST: z.string().default('127.0.0.1'),
  LOCAL_IDP_PORT: port(3981),
  LOCAL_GRAPH_PORT: port(3982),
  LOCAL_DATA_DIR: z.string().default('.local'),
});

export interface DevConfig {
  host: string;
  idpPort: number;
  graphPort: number;
  dataDir: string;
}

export function loadDevConfig(env: NodeJS.ProcessEnv = process.env): DevConfig {
  const parsed = DevConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid local tenant settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const c = parsed.data;
  return { host: c.LOCAL_HOST, idpPort: c.LOCAL_IDP_PORT, graphPort: c.LOCAL_GRAPH_PORT, dataDir: resolve(c.LOCAL_DATA_DIR) };
}
