import { createApp } from './app';
import { loadConfig, redactedSummary } from './config';
import { createLogger } from './logger';

/** Process entry: configuration → app → listen; SIGTERM/SIGINT stop accepting, finish, close storage. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  log.info({ config: redactedSummary(config) }, 'starting');
  const app = await createApp(config, log);
  await new Promise<void>((resolve) => {
    app.server.listen(config.port, config.host, resolve);
  });
  const { port } = app.server.address();
  log.info({ port, host: config.host, url: `http://${config.host}:${port}` }, 'listening');
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

main().catch((error: unknown) => {
  process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
