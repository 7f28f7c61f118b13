import { OtlpCollector } from '../support/otlpCollector';
import { useLocalStack } from '../support/localStack';
import { USERS } from '../support/teamsClient';

/**
 * OpenTelemetry from the real bot process (issue 14, item 4): with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an
 * in-process collector, one message becomes a `turn` span with the Graph requests it made as children, and the
 * graceful stop (SIGTERM) exports them. Nothing the user sees or sends travels with them.
 */
jest.setTimeout(60_000);

let collector: OtlpCollector;
const env: Record<string, string> = { SSO_MODE: 'local', LOG_LEVEL: 'debug' };
beforeAll(async () => {
  collector = await OtlpCollector.start();
  // Read by useLocalStack's own beforeAll, which runs after this one.
  env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
});
const stack = useLocalStack({ env });
afterAll(async () => {
  await collector.stop();
});

test('one message: a turn span with child Graph spans and the turn and Graph metrics, exported on SIGTERM', async () => {
  const { teams, bot } = stack;
  await teams.message(USERS.adele, 'reviews');
  await teams.waitFor(() => teams.sent.find((s) => JSON.stringify(s.activity).includes('Sales Team guest review')), 20_000);
  await bot.stop('SIGTERM');

  const spans = collector.spans();
  const turns = spans.filter((s) => s.name === 'turn' && s.attributes['bot.activity.type'] === 'message');
  expect(turns.length).toBeGreaterThanOrEqual(1);
  expect(turns[0]?.attributes).toMatchObject({ 'bot.conversation.type': 'personal', 'http.response.status_code': 200 });
  expect(turns[0]?.resource['service.name']).toBe('access-review-bot');
  const graphSpans = spans.filter((s) => s.name.startsWith('GET /v1.0/') && turns.some((t) => t.spanId === s.parentSpanId && t.traceId === s.traceId));
  expect(graphSpans.length).toBeGreaterThanOrEqual(1);
  expect(graphSpans[0]?.attributes['http.response.status_code']).toBe(200);
  expect(collector.points('bot.turns').some((p) => p.attributes['bot.activity.type'] === 'message' && p.value >= 1)).toBe(true);
  expect(collector.points('graph.requests').reduce((n, p) => n + p.value, 0)).toBeGreaterThanOrEqual(graphSpans.length);

  const exported = collector.requests.map((r) => r.text).join('\n');
  expect(exported).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
  expect(exported).not.toContain('adele@contoso.local');
  expect(exported).not.toContain('Sales Team guest review');
  // The bot's log lines of that turn (its debug `turn` line) carry the trace id: logs and traces are linked.
  expect(bot.lines.some((line) => line.includes(`"traceId":"${turns[0]?.traceId ?? '-'}"`))).toBe(true);
});
