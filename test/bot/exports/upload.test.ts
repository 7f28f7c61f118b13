import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RANGE_UNIT, uploadFile } from '../../../bot/exports/upload';
import { isAppError } from '../../../bot/errors';
import { useFileSinkServer } from '../../support/fileSinkServer';

/** The upload to Teams' upload session, against the simulated OneDrive sink of the Teams client (test/support/teamsFiles.ts). */
const { sink, base: baseUrl } = useFileSinkServer();
const dir = mkdtempSync(join(tmpdir(), 'upload-'));


const fileOf = (bytes: Buffer): string => {
  const path = join(dir, `${Math.random()}.csv`);
  writeFileSync(path, bytes);
  return path;
};

test('a file over one range goes in order, each range but the last a multiple of 320 KiB, Content-Range on each, no Authorization', async () => {
  const bytes = randomBytes(3 * RANGE_UNIT + 12345);
  const { session } = sink.open('owner', 'adele@contoso.local', 'big.csv');
  await uploadFile(fileOf(bytes), session.uploadUrl, { rangeBytes: RANGE_UNIT });
  expect(session.complete).toBe(true);
  expect(session.statuses).toEqual([202, 202, 202, 201]);
  expect(session.ranges.map((range) => `${range.first}-${range.last}/${range.total}`)).toEqual([
    `0-${RANGE_UNIT - 1}/${bytes.length}`, `${RANGE_UNIT}-${2 * RANGE_UNIT - 1}/${bytes.length}`,
    `${2 * RANGE_UNIT}-${3 * RANGE_UNIT - 1}/${bytes.length}`, `${3 * RANGE_UNIT}-${bytes.length - 1}/${bytes.length}`,
  ]);
  expect(session.sawAuthorization).toBe(false);
  expect(sink.bytesOf(session).equals(bytes)).toBe(true);
});

test('a small file is one PUT answered 201', async () => {
  const bytes = Buffer.from('a,b\r\n1,2\r\n');
  const { session } = sink.open('owner', 'adele@contoso.local', 'small.csv');
  await uploadFile(fileOf(bytes), session.uploadUrl);
  expect(session.statuses).toEqual([201]);
  expect(sink.bytesOf(session).toString()).toBe('a,b\r\n1,2\r\n');
});

test('a 5xx is retried; a refusal (the session is gone) is an UploadFailed in plain words', async () => {
  const bytes = Buffer.from('x,y\r\n');
  const { session } = sink.open('owner', 'adele@contoso.local', 'retry.csv');
  let calls = 0;
  const flaky: typeof fetch = async (input, init) => {
    calls += 1;
    return calls === 1 ? new Response('busy', { status: 503 }) : fetch(input, init);
  };
  await uploadFile(fileOf(bytes), session.uploadUrl, { fetch: flaky, wait: () => Promise.resolve() });
  expect(calls).toBe(2);
  expect(session.complete).toBe(true);
  const failure = await uploadFile(fileOf(bytes), `${baseUrl()}upload/no-such-session`, { wait: () => Promise.resolve() }).catch((error: unknown) => error);
  expect(isAppError(failure, 'UploadFailed')).toBe(true);
});

test('a range size that is not a multiple of 320 KiB is refused before anything is sent', async () => {
  await expect(uploadFile(fileOf(Buffer.from('a')), `${baseUrl()}upload/x`, { rangeBytes: 1000 })).rejects.toThrow(/320 KiB/);
});
