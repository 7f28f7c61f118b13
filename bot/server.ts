import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import type { TeamsBot } from './teamsBot';
import { legacyChecks, sharedProbe, type HealthCheck, type HealthReport } from './health';
import { newCorrelationId, withLogContext } from './logContext';
import type { Logger } from './logger';
import type { SignInPages } from './auth/signInPages';
import { answerActivity } from './http/adapterAnswer';
import { discardRest, readJsonBody } from './http/jsonBody';
import { legalPageRoute } from './http/legalPages';
import { isLoopbackServiceUrl, localModeGuard } from './http/localModeGuard';
import { securityHeaders } from './http/securityHeaders';
import { noTelemetry, type Telemetry } from './telemetry';
import { inTurn } from './telemetry/turns';

/** A string query parameter, or undefined (restify types `query` as any). */
function queryParam(req: restify.Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Answers a refused request with a fixed body (the reason is logged, never echoed) and drops the rest of its body. */
function refuse(req: restify.Request, res: restify.Response, log: Logger, status: number, reason: string): void {
  log.warn({ status, method: req.method, path: req.path(), reason }, 'request refused');
  res.json(status, { error: status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : status === 403 ? 'Forbidden' : 'Bad Request' });
  discardRest(req);
}

/**
 * restify only: the messaging endpoint, health, and the sign-in pages. No bot logic here.
 *
 * No body parser is mounted, on purpose: restify's runs before the JWT check, inflated gzip without a limit and
 * wrote multipart uploads to the temp folder (formidable 1.x) for anyone. /api/messages reads its JSON itself,
 * capped, and nothing else reads a body at all.
 */
export function createServer(deps: {
  adapter: CloudAdapter; bot: TeamsBot; health: readonly HealthCheck[]; signIn: SignInPages; log: Logger;
  /** No Bot Framework authentication: loopback callers only, no browsers, loopback serviceUrls only. */
  localMode: boolean;
  /** A `turn` span and the turns metric per activity (bot/telemetry); off when absent. */
  telemetry?: Telemetry;
}): restify.Server {
  const { log, localMode, telemetry = noTelemetry } = deps;
  const server = restify.createServer({ name: 'access-review-bot', handleUncaughtExceptions: false });
  server.pre(securityHeaders);
  if (localMode) server.pre(localModeGuard(log));
  server.use(restify.plugins.queryParser());

  server.post('/api/messages', async (req, res) => {
    const read = await readJsonBody(req);
    if (!read.ok) {
      refuse(req, res, log, read.status, read.reason);
      return;
    }
    const activity = read.body;
    // CloudAdapter throws (a 500) on a missing type instead of answering 400.
    if (typeof activity.type !== 'string' || activity.type === '') {
      refuse(req, res, log, 400, 'activity without a type');
      return;
    }
    // Without authentication nothing vouches for serviceUrl: the bot would post replies, and later proactive
    // messages, wherever the sender says. In local mode only this machine can be "the channel".
    if (localMode && !isLoopbackServiceUrl(activity.serviceUrl)) {
      refuse(req, res, log, 403, 'serviceUrl not on loopback (local mode)');
      return;
    }
    const turnId = newCorrelationId();
    const answer = await withLogContext({ turnId }, () => inTurn(telemetry, activity, turnId, () => answerActivity(deps.adapter, activity, req.headers, (turn) => deps.bot.run(turn), log)));
    if (answer.body === undefined || answer.body === null) {
      res.status(answer.status);
      res.end();
    } else {
      res.json(answer.status, answer.body);
    }
  });
  // Liveness: the process answers; no dependency is checked (a restart would not bring Entra ID back).
  server.get('/healthz/live', (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    res.json(200, { ok: true });
    next();
  });
  // Readiness: every check; /healthz keeps what it always ran (all but the upstream Microsoft services).
  const failed = (name: string, reason: string): void => log.warn({ check: name, reason }, 'health check failed');
  const probe = (run: () => Promise<HealthReport>): restify.RequestHandler => async (_req, res) => {
    const report = await run();
    res.setHeader('cache-control', 'no-store');
    res.json(report.ok ? 200 : 503, report);
  };
  server.get('/healthz/ready', probe(sharedProbe(deps.health, failed)));
  server.get('/healthz', probe(sharedProbe(legacyChecks(deps.health), failed)));
  server.get('/auth/start', (req, res, next) => {
    res.redirect(302, deps.signIn.authorizeUrl(queryParam(req, 'loginHint')), next);
  });
  server.get('/auth/end', (req, res, next) => {
    const page = deps.signIn.endPage(queryParam(req, 'error'));
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-security-policy', page.contentSecurityPolicy);
    res.sendRaw(200, page.html);
    next();
  });
  // The Teams manifest's privacyUrl and termsOfUseUrl (text in manifest/privacy.md and manifest/terms.md).
  server.get('/privacy', legalPageRoute('privacy', log));
  server.get('/terms', legalPageRoute('terms', log));
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    log.warn({ status: err.statusCode, path: req.path(), message: err.message }, 'request rejected');
    callback();
  });
  return server;
}
