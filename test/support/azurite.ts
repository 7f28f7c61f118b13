import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const AZURITE = join(__dirname, '..', '..', 'node_modules', '.bin', 'azurite-blob');
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Azurite's blob service (3.35.0, in memory) in its own process, started by the tests themselves. */
export interface Azurite {
  connectionString: string;
  startedInMs: number;
  stop(): Promise<void>;
}

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
  const done = (ok: boolean): void => {
    socket.destroy();
    resolve(ok);
  };
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
  socket.once('timeout', () => done(false));
});

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [AZURITE, '--blobHost', '127.0.0.1', '--blobPort', String(port),
    '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck', '--loose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() - started > 25_000) throw new Error(`Azurite did not listen on ${port} within 25 s: ${stderr}`);
    // A refused connection returns at once; yield to the event loop so the poll does not spin it.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
    startedInMs: Date.now() - started,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
