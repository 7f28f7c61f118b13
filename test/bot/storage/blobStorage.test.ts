import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { BlobKeyValueStore } from '../../../bot/storage/blobStorage';
import { describeKeyValueStoreContract } from './storageContract';

const AZURITE = join(__dirname, '../../../node_modules/.bin/azurite-blob');
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A port nobody listens on right now: the OS picks it for a throwaway listener. */
const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
  });
});

/** One short connection attempt: resolves true once something accepts on the port. */
const accepts = (port: number): Promise<boolean> => new Promise((resolve) => {
  const socket = connect({ host: '127.0.0.1', port, timeout: 200 });
  const done = (ok: boolean): void => { socket.destroy(); resolve(ok); };
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
  socket.once('timeout', () => done(false));
});

let azurite: ChildProcess | undefined;
let connectionString = '';

beforeAll(async () => {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [AZURITE, '--blobHost', '127.0.0.1', '--blobPort', String(port),
    '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck', '--loose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  azurite = child;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() - started > 25_000) throw new Error(`Azurite did not listen on ${port} within 25 s: ${stderr}`);
    // A refused connection returns at once; yield to the event loop so the poll does not spin it.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (process.env.SHOW_AZURITE_START) console.info(`Azurite blob listening after ${Date.now() - started} ms`);
  connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
}, 30_000);

afterAll(async () => {
  const child = azurite;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

/** A container of its own per store, so tests never see each other's blobs (names: lower case, 3-63 chars). */
const freshContainer = (): string => `t-${randomUUID()}`;

describeKeyValueStoreContract('BlobKeyValueStore on Azurite', (now) => new BlobKeyValueStore(connectionString, freshContainer(), { now }));

describe('BlobKeyValueStore', () => {
  it('shows the SSO dedup trap: BlobsStorage rejects the first {eTag: id} write, createIfAbsent does not', async () => {
    const container = freshContainer();
    const key = 'msteams/19:abc@thread.tacv2/exchange-1';
    // What TeamsSSOTokenExchangeMiddleware writes to de-duplicate a token exchange.
    const dedup = { [key]: { eTag: 'exchange-1' } };

    await expect(new MemoryStorage().write(dedup)).resolves.toBeUndefined();
    // On blobs the very first exchange looks like a duplicate, so the middleware would swallow it.
    await expect(new BlobsStorage(connectionString, container).write(dedup)).rejects.toThrow(/eTag conflict/);

    const store = new BlobKeyValueStore(connectionString, container);
    await expect(store.createIfAbsent(key, { exchangeId: 'exchange-1' }, 600)).resolves.toBe(true);
    await expect(store.createIfAbsent(key, { exchangeId: 'exchange-1' }, 600)).resolves.toBe(false);
  });

  it('creates its container on first use, whichever call comes first', async () => {
    const clockless = (): BlobKeyValueStore => new BlobKeyValueStore(connectionString, freshContainer());
    await expect(clockless().read(['k'])).resolves.toEqual({});
    await expect(clockless().delete(['k'])).resolves.toBeUndefined();
    await expect(clockless().createIfAbsent('k', {})).resolves.toBe(true);
    const writer = clockless();
    await writer.write({ k: { v: 1 } });
    await expect(writer.read(['k'])).resolves.toMatchObject({ k: { v: 1 } });
  });
});
