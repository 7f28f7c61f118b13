import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedClock, followingClock } from '../../bot/clock';
import { emulatorClockSync } from '../../bot/emulatorClock';
import { createLogger } from '../../bot/logger';

/** The local-mode clock: it follows the emulator's answer, and keeps the last distance when the emulator cannot answer. */

const NOW = Date.parse('2025-06-02T09:00:00Z');
let server: Server;
let answer: { status: number; body: string };
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    // Not chained: restify, loaded by other suites in the same worker, replaces ServerResponse#writeHead with one that returns nothing.
    response.writeHead(request.url === '/_emulator/clock' ? answer.status : 404, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('follows the emulator, moves with the base clock, keeps the last distance on a bad answer', async () => {
  const base = fixedClock(NOW);
  const clock = followingClock(base);
  const sync = emulatorClockSync(clock, url, createLogger('silent'));
  expect(clock.now()).toBe(NOW);
  answer = { status: 200, body: JSON.stringify({ now: '2025-07-12T09:00:00.000Z' }) };
  await sync();
  expect(new Date(clock.now()).toISOString()).toBe('2025-07-12T09:00:00.000Z');
  base.advance(60_000);
  expect(new Date(clock.now()).toISOString()).toBe('2025-07-12T09:01:00.000Z');
  for (const bad of [{ status: 500, body: '{}' }, { status: 200, body: 'not json' }, { status: 200, body: JSON.stringify({ now: 'tomorrow' }) }]) {
    answer = bad;
    await sync();
    expect(new Date(clock.now()).toISOString()).toBe('2025-07-12T09:01:00.000Z');
  }
});
