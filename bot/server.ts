import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import type { TeamsBot } from './teamsBot';
import type { HealthCheck } from './health';
import { checkHealth } from './health';
import type { Logger } from './logger';
import type { SignInPages } from './auth/signInPages';

/** A string query parameter, or undefined (restify types `query` as any). */
function queryParam(req: restify.Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** restify only: the messaging endpoint, health, and the sign-in pages. No bot logic here. */
export function createServer(deps: { adapter: CloudAdapter; bot: TeamsBot; health: readonly HealthCheck[]; signIn: SignInPages; log: Logger }): restify.Server {
  const server = restify.createServer({ name: 'access-review-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser());
  server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    await deps.adapter.process(req, res, (turn) => deps.bot.run(turn));
  });
  server.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps.health);
    res.status(report.ok ? 200 : 503);
    res.json(report);
  });
  server.get('/auth/start', (req, res, next) => {
    res.redirect(302, deps.signIn.authorizeUrl(queryParam(req, 'loginHint')), next);
  });
  server.get('/auth/end', (req, res, next) => {
    const error = queryParam(req, 'error');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.sendRaw(200, deps.signIn.endPage(error));
    next();
  });
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    deps.log.warn({ status: err.statusCode, path: req.path(), message: err.message }, 'request rejected');
    callback();
  });
  return server;
}
