import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { GraphClientFactory } from '../../bot/graph/graphClient';
import { createLogger } from '../../bot/logger';
import { startTelemetry } from '../../bot/telemetry';
import { inTurn } from '../../bot/telemetry/turns';

/**
 * Run by test/bot/telemetry.test.ts in its own Node process (the OTLP exporters load `http` with a dynamic import(),
 * which jest's module loader refuses without VM modules): one turn reading Graph as a user, a turn whose error was
 * handled, a digest run that posts,
 * a nudges pass that throws; then shutdown. argv: Graph base URL, token, collector URL or '-' (telemetry off).
 * Log lines go to stdout; the last one is `scenario done`.
 */
export const SCENARIO = { definition: 'aaaaaaaa-1111-4111-8111-000000000001', upn: 'adele.vance@contoso.local' } as const;

async function main(): Promise<void> {
  const [graphUrl = '', token = '', endpoint = '-'] = process.argv.slice(2);
  const log = createLogger('info');
  const telemetry = startTelemetry({ telemetry: { endpoint: endpoint === '-' ? undefined : endpoint, headers: { 'x-api-key': 'collector-secret' }, serviceName: 'bot-under-test' } }, log);
  const client = new GraphClientFactory({ baseUrl: graphUrl, retryDelaySeconds: 0, telemetry }).forToken(token);
  await inTurn(telemetry, { type: 'message', conversation: { conversationType: 'personal' } }, 'turn0001', async () => {
    await client.api('/me').get();
    await client.api(`/users/${SCENARIO.upn}`).filter(`displayName eq '${SCENARIO.upn}'`).get();
    await client.api(`/identityGovernance/accessReviews/definitions/${SCENARIO.definition}`).get();
    log.info('inside the turn');
    return { status: 200 };
  });
  // A turn whose error the adapter handled (onTurnError apologises; the answer is still 200).
  await inTurn(telemetry, { type: 'message', conversation: { conversationType: 'personal' } }, 'turn0002', () => {
    telemetry.failActiveSpan('Internal');
    return Promise.resolve({ status: 200 });
  });
  await telemetry.inSpan('digest.run', { 'bot.run.id': 'run00001' }, () => Promise.resolve(telemetry.countDigest('posted')));
  const failure = Object.assign(new Error(`token ${token} for ${SCENARIO.upn}`), { code: 'GraphUnavailable' });
  await telemetry.inSpan('nudges.pass', { 'bot.run.id': 'run00002' }, () => Promise.reject(failure)).catch(() => undefined);
  await telemetry.shutdown();
  // What the process has of OpenTelemetry: a global provider (never ours), the SDK's modules (loaded only when on).
  const globalProvider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name;
  const sdkLoaded = Object.keys(require.cache).some((file) => file.includes('@opentelemetry/sdk-') || file.includes('@opentelemetry/exporter-'));
  log.info({ enabled: telemetry.enabled, globalProvider, sdkLoaded }, 'scenario done');
}

if (require.main === module) void main();
