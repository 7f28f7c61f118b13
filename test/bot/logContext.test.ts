import { Writable } from 'node:stream';
import { newCorrelationId, withLogContext } from '../../bot/logContext';
import { createLogger } from '../../bot/logger';

/** Correlation ids (issue 14, item 4): every line logged inside a turn or a scheduled run carries its id, through awaits. */

function capture(): { log: ReturnType<typeof createLogger>; records: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', sink), records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('lines inside a unit of work carry its ids, across awaits and nested runs; lines outside carry none', async () => {
  const { log, records } = capture();
  log.info('before');
  await withLogContext({ turnId: 't-1' }, async () => {
    log.info('start of the turn');
    await new Promise((resolve) => setImmediate(resolve));
    await withLogContext({ runId: 'r-1' }, async () => {
      await Promise.resolve();
      log.info({ turnId: 'spoofed?' }, 'inside a nested run');
    });
    log.info('end of the turn');
  });
  // Two units at once keep their own ids.
  await Promise.all(['a', 'b'].map((id) => withLogContext({ turnId: id }, async () => {
    await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 5 : 0));
    log.info(`turn ${id}`);
  })));
  log.info('after');
  const byMsg = Object.fromEntries(records().map((record) => [record.msg, record]));
  expect(byMsg.before?.turnId).toBeUndefined();
  expect(byMsg['start of the turn']?.turnId).toBe('t-1');
  expect(byMsg['inside a nested run']).toMatchObject({ runId: 'r-1' });
  expect(byMsg['end of the turn']).toMatchObject({ turnId: 't-1' });
  expect(byMsg['end of the turn']?.runId).toBeUndefined();
  expect(byMsg['turn a']?.turnId).toBe('a');
  expect(byMsg['turn b']?.turnId).toBe('b');
  expect(byMsg.after?.turnId).toBeUndefined();
  expect(newCorrelationId()).toMatch(/^[0-9a-f]{8}$/);
});
