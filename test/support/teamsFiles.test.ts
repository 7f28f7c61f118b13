import { useFileSinkServer } from './fileSinkServer';

/** The simulated OneDrive upload session answers as the OneDrive docs say: the bot is held to the real rules. */
const { sink, base: baseUrl } = useFileSinkServer();
const UNIT = 327_680;


const put = async (url: string, body: Buffer, range: string, headers: Record<string, string> = {}): Promise<number> =>
  (await fetch(url, { method: 'PUT', body, headers: { 'content-range': range, ...headers } })).status;

test('ranges in order: 202 with nextExpectedRanges, then 201 with the driveItem; a repeat is 416; out of order or the wrong size is 400', async () => {
  const { session, uploadInfo } = sink.open('u1', 'adele@contoso.local', 'a.csv');
  expect(uploadInfo).toMatchObject({ name: 'a.csv', uploadUrl: session.uploadUrl, fileType: 'csv' });
  const total = UNIT + 10;
  expect(await put(session.uploadUrl, Buffer.alloc(10), `bytes ${UNIT}-${total - 1}/${total}`)).toBe(400);
  expect(await put(session.uploadUrl, Buffer.alloc(1000), `bytes 0-999/${total}`)).toBe(400);
  const first = await fetch(session.uploadUrl, { method: 'PUT', body: Buffer.alloc(UNIT), headers: { 'content-range': `bytes 0-${UNIT - 1}/${total}` } });
  expect(first.status).toBe(202);
  expect(await first.json()).toMatchObject({ nextExpectedRanges: [`${UNIT}-`] });
  expect(await put(session.uploadUrl, Buffer.alloc(UNIT), `bytes 0-${UNIT - 1}/${total}`)).toBe(416);
  expect(await put(session.uploadUrl, Buffer.alloc(10), `bytes ${UNIT}-${total - 1}/${total + 1}`)).toBe(400);
  const last = await fetch(session.uploadUrl, { method: 'PUT', body: Buffer.alloc(10), headers: { 'content-range': `bytes ${UNIT}-${total - 1}/${total}`, authorization: 'Bearer x' } });
  expect(last.status).toBe(201);
  expect(await last.json()).toMatchObject({ name: 'a.csv', size: total, id: session.uniqueId });
  expect(session.sawAuthorization).toBe(true);
  expect(sink.bytesOf(session)).toHaveLength(total);
});

test('a name already in that OneDrive is renamed, as OneDrive does; an unknown session is 404', async () => {
  sink.open('u2', 'megan@contoso.local', 'b.csv');
  expect(sink.open('u2', 'megan@contoso.local', 'b.csv').uploadInfo.name).toBe('b (1).csv');
  expect(sink.open('u3', 'alex@contoso.local', 'b.csv').uploadInfo.name).toBe('b.csv');
  expect(await put(`${baseUrl()}upload/nope`, Buffer.alloc(1), 'bytes 0-0/1')).toBe(404);
});
