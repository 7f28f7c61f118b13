import { GraphClientFactory } from '../bot/graph/graphClient';
import { graphApisOver } from '../bot/graph/graphSeam';
import { control, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { n, ok, roundTrips, secs, stats } from './measure';

/**
 * Issue 13's benchmark: a reviewer submits 2,500 pending decisions at emulator latency 50 ms. The bot's way (what Submit
 * does after reading the pending choices: the reviewer's items read once to check each choice is theirs, then one PATCH
 * per item, 20 to a `$batch`, 3 batches in flight) beside one PATCH per item, one after another.
 *
 *     node --import tsx -e "require('./bench/reviewerSubmit').benchReviewerSubmit()"
 */
const ITEMS = 2500;
const LATENCY_MS = 50;

export async function benchReviewerSubmit(): Promise<void> {
  let tenant: LocalTenant | undefined;
  try {
    tenant = await startLocalTenant();
    // One synthetic review of 2,500 items; its group's owner, Adele, reviews every item.
    const seeded = await ok(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: ITEMS });
    const definitionId = String((seeded.definitions as string[] | undefined)?.[0]);
    const token = await userToken(tenant, 'adele@contoso.local');
    const reviewer = graphApisOver(() => Promise.resolve(new GraphClientFactory({ baseUrl: tenant?.graph ?? '', retryDelaySeconds: 1 }).forToken(token))).reviewer;
    const instanceId = (await reviewer.myInstances([definitionId])).get(definitionId)?.[0]?.id ?? '';
    await ok(tenant, 'PUT', '/faults', { latencyMs: LATENCY_MS });

    await ok(tenant, 'POST', '/stats/reset');
    const started = performance.now();
    const items = await reviewer.allMyItems(definitionId, instanceId);
    const outcome = await reviewer.recordDecisions(definitionId, instanceId, items.map((item) => ({ itemId: item.id, decision: 'Deny' as const })));
    const ms = performance.now() - started;
    const trips = roundTrips(await stats(tenant));
    if (items.length !== ITEMS || outcome.recorded.length !== ITEMS) throw new Error(`recorded ${outcome.recorded.length} of ${items.length} items`);

    // One PATCH per item, one after another (fetch, the same token): what a simple client does.
    await ok(tenant, 'POST', '/stats/reset');
    const naiveStarted = performance.now();
    for (const item of items) {
      const response = await fetch(`${tenant.graph}/v1.0${REVIEWS}/${definitionId}/instances/${instanceId}/decisions/${item.id}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'DontKnow' }),
      });
      if (response.status !== 204) throw new Error(`PATCH ${item.id} → ${response.status}`);
    }
    const naiveMs = performance.now() - naiveStarted;
    const naiveTrips = roundTrips(await stats(tenant));

    process.stdout.write(`submitting ${n(ITEMS)} pending decisions, emulator latency ${LATENCY_MS} ms per HTTP request\n`);
    process.stdout.write(`  the bot's submit (read the reviewer's items, then PATCH per item, 20 to a $batch, 3 in flight): ${secs(ms)}, ` +
      `${n(trips)} HTTP round trips (${n(outcome.requests)} $batch for the decisions), ${n(ITEMS)} Graph requests for the decisions\n`);
    process.stdout.write(`  one PATCH per item, one after another: ${secs(naiveMs)}, ${n(naiveTrips)} round trips — the bot is ${(naiveMs / ms).toFixed(1)}× faster\n`);
  } finally {
    if (tenant) await control(tenant, 'PUT', '/faults', {}).catch(() => undefined);
    await tenant?.dispose();
  }
}
