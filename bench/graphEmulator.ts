import autocannon from 'autocannon';
import { control, graph, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';

/** Issue 2's numbers: synthetic seed time, page latency from a 100,000-item instance, authorised GET throughput. */
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const ms = (n: number): string => `${n.toFixed(2)} ms`;

async function seedBench(tenant: LocalTenant): Promise<{ definitionId: string; instanceId: string }> {
  const started = performance.now();
  const seeded = await control(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: 100_000 });
  const wall = performance.now() - started;
  if (seeded.status !== 200) throw new Error(`seed failed: ${JSON.stringify(seeded.body)}`);
  process.stdout.write(`seed 100,000 decision items (100,000 users, memberships, 1 review started): ${ms(wall)} wall, ${seeded.body.elapsedMs} ms in the emulator (target < 10 s)\n`);
  return { definitionId: seeded.body.definitions[0], instanceId: seeded.body.instances[0] };
}

async function pageBench(tenant: LocalTenant, token: string, ids: { definitionId: string; instanceId: string }): Promise<void> {
  let next: string | undefined = `${REVIEWS}/${ids.definitionId}/instances/${ids.instanceId}/decisions?$top=100`;
  const times: number[] = [];
  let items = 0;
  while (next) {
    const started = performance.now();
    const page = await graph(tenant, token, 'GET', next);
    times.push(performance.now() - started);
    if (page.status !== 200) throw new Error(`page ${times.length}: ${page.status}`);
    items += page.body.value.length;
    next = page.body['@odata.nextLink'];
  }
  const first = times.slice(0, 50);
  const last = times.slice(-50);
  process.stdout.write(`pages of 100 decisions over a 100,000-item instance: ${times.length} pages, ${items} items; ` +
    `median ${ms(median(times))} (first 50 pages ${ms(median(first))}, last 50 pages ${ms(median(last))}; target median < 20 ms, flat)\n`);
}

async function throughputBench(tenant: LocalTenant, token: string): Promise<void> {
  const result = await autocannon({
    url: `${tenant.graph}/v1.0${REVIEWS}?$top=10`, connections: 16, duration: 5, headers: { authorization: `Bearer ${token}` },
  });
  process.stdout.write(`authorised GET list definitions ($top=10, JWT verified each time), 16 connections, 5 s: ` +
    `${Math.round(result.requests.average)} requests/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
    `non-2xx ${result.non2xx}\n`);
}

export async function benchGraphEmulator(): Promise<void> {
  const tenant = await startLocalTenant();
  try {
    const token = await userToken(tenant, 'adele@contoso.local');
    const ids = await seedBench(tenant);
    await pageBench(tenant, token, ids);
    await throughputBench(tenant, token);
  } finally {
    await tenant.dispose();
  }
}
