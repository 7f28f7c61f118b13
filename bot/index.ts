import { createApp, type AppOverrides } from './app';
import { loadConfig, redactedSummary } from './config';
import { bridgeConsole, createLogger } from './logger';

/**
 * Configuration → app → listen; SIGTERM/SIGINT stop accepting, finish, close storage. `overrides` is for a test
 * entry point only (test/support/productionModeBot.ts); this file, the production entry, passes none.
 */
export async function serve(overrides: AppOverrides = {}): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // From here on a library's console output is a log line too (no raw stack traces on stdout/stderr).
  bridgeConsole(log);
  log.info({ config: redactedSummary(config) }, 'starting');
  const app = await createApp(config, log, overrides);
  await new Promise<void>((resolve) => {
    app.server.listen(config.port, config.host, resolve);
  });
  const { port } = app.server.address();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  log.info({ port, host: config.host, url: `http://${host}:${port}` }, 'listening');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    app.close().then(() => process.exit(0), (error: unknown) => {
      log.error({ err: error }, 'stopping failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Runs `start` as the process's life: a failure to start is one line on stderr and exit code 1. */
export function runProcess(start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) runProcess(() => serve());
