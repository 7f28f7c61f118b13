import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileSink } from './teamsFiles';

/**
 * A FileSink (the simulated OneDrive upload session) served on its own port for one test file: upload URLs are
 * `<base>upload/<id>`. Registers jest's beforeAll and afterAll; `base()` is the server's address once it listens.
 */
export function useFileSinkServer(): { sink: FileSink; base: () => string } {
  let server: Server | undefined;
  let base = '';
  const sink = new FileSink(() => base);
  beforeAll(async () => {
    const started = createServer((request, response) => void sink.handle(request, response, (request.url ?? '').replace(/^\/upload\//, '')));
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });
  return { sink, base: () => base };
}
