import { COUNTED_FIELDS } from '../bot/features/decisions';
import { digestCard, readDigest } from '../bot/features/summaryData';
import { INSTANCE_BATCHES_IN_FLIGHT, scanInstances, type InstanceRef } from '../bot/graph/decisionScan';
import { instancesOf } from '../bot/graph/definitionPages';
import { GraphClientFactory } from '../bot/graph/graphClient';
import { graphApisOver } from '../bot/graph/graphSeam';
import { MAX_CARD_BYTES } from '../cards/validate';
import { appToken, control, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../test/support/localTenant';
import { mark, median, n, ok, roundTrips, secs, stats } from './measure';

/**
 * Issue 12, item 4: a digest of every active review over many in-progress instances. At the emulator's injected
 * latency: the whole digest as a scheduled run makes it (readDigest with the app's token: the list, the runs, every
 * run's decision counts, the card), the scanner alone (bot/graph/decisionScan.ts scanInstances, pages of every instance packed into shared `$batch`
 * requests) beside a naive sequential walk (definitions → instances → decisions, following `@odata.nextLink` with
 * fetch) and beside the floor (⌈items/100⌉ pages, 20 to a `$batch`). Heap: the bench process's heapUsed after a forced
 * full GC (`global.gc`, so run with `--expose-gc`; without it the figure is plain heapUsed, said so in the output),
 * sampled in `onPage` every `heapEvery` pages during a separate, untimed scan.
 *
 *     node --expose-gc --import tsx -e "require('./bench/digestScan').benchDigestScan()"
 */
export interface DigestScanSizes {
  definitions: number;
  decisionsPerInstance: number;
  latencyMs: number;
  /** Timed scanner runs (the median is reported). */
  runs: number;
}
const REAL_SIZES: DigestScanSizes = { definitions: 200, decisionsPerInstance: 500, latencyMs: 40, runs: 3 };
const TARGET_SPEEDUP = 15;
const TARGET_TRIP_RATIO = 1.1;
const TARGET_HEAP_MB = 150;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** heapUsed after a full GC when the process runs with --expose-gc, else plain heapUsed. */
function heapNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * The naive walk: definitions page by page, each seeded definition's instances, each in-progress instance's decisions,
 * `$top=100` pages one after another by `@odata.nextLink` (fetch, Adele's token).
 */
async function naiveWalk(tenant: LocalTenant, token: string, seeded: ReadonlySet<string>): Promise<{ ms: number; items: number; instances: number; trips: number }> {
  await ok(tenant, 'POST', '/stats/reset');
  const headers = { authorization: `Bearer ${token}` };
  const get = async <T>(url: string): Promise<T> => {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`naive walk: GET ${url} → ${response.status}`);
    return (await response.json()) as T;
  };
  const started = performance.now();
  let items = 0;
  let instances = 0;
  for (let next: string | undefined = `${tenant.graph}/v1.0${REVIEWS}?$top=100`; next !== undefined;) {
    const page: { value: Array<{ id: string }>; '@odata.nextLink'?: string } = await get(next);
    next = page['@odata.nextLink'];
    for (const definition of page.value.filter((d) => seeded.has(d.id))) {
      const runs = await get<{ value: Array<{ id: string; status?: string }> }>(`${tenant.graph}/v1.0${REVIEWS}/${definition.id}/instances`);
      for (const run of runs.value.filter((r) => r.status === 'InProgress')) {
        instances += 1;
        for (let link: string | undefined = `${tenant.graph}/v1.0${REVIEWS}/${definition.id}/instances/${run.id}/decisions?$top=100`; link !== undefined;) {
          const decisions: { value: unknown[]; '@odata.nextLink'?: string } = await get(link);
          items += decisions.value.length;
          link = decisions['@odata.nextLink'];
        }
      }
    }
  }
  return { ms: performance.now() - started, items, instances, trips: roundTrips(await stats(tenant)) };
}

export async function benchDigestScan(sizes: DigestScanSizes = REAL_SIZES): Promise<void> {
  let tenant: LocalTenant | undefined;
  try {
    tenant = await startLocalTenant();
    const seedStarted = performance.now();
    const seed = await ok(tenant, 'POST', '/seed', { definitions: sizes.definitions, decisionsPerInstance: sizes.decisionsPerInstance });
    const definitionIds = (seed.definitions as string[] | undefined) ?? [];
    process.stdout.write(`seeded ${n(definitionIds.length)} one-time reviews of ${n(sizes.decisionsPerInstance)} decisions each in ${secs(performance.now() - seedStarted)}\n`);
    const token = await userToken(tenant, 'adele@contoso.local');
    const client = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 1 }).forToken(token);

    // The instances of the digest: in-progress runs of the seeded definitions (read once, at latency 0).
    const runs = await instancesOf(client, definitionIds);
    const instances: InstanceRef[] = definitionIds.flatMap((definitionId) =>
      (runs.get(definitionId) ?? []).filter((run) => run.status === 'InProgress').map((run) => ({ definitionId, instanceId: run.id })));
    if (instances.length !== definitionIds.length) throw new Error(`expected one in-progress run per seeded review, found ${instances.length}`);
    const items = instances.length * sizes.decisionsPerInstance;
    const floorPages = instances.length * Math.max(1, Math.ceil(sizes.decisionsPerInstance / 100));
    const floorTrips = Math.ceil(floorPages / 20);

    const scan = async (onPage: (index: number, count: number) => void = () => undefined) => {
      let counted = 0;
      const started = performance.now();
      const result = await scanInstances(client, instances, { select: COUNTED_FIELDS }, (index, page) => {
        counted += page.length;
        onPage(index, page.length);
      });
      const ms = performance.now() - started;
      if (counted !== items || result.failures.length > 0) throw new Error(`scan counted ${counted} of ${items} items, ${result.failures.length} failures`);
      return { ms, result };
    };

    await scan(); // warm-up at latency 0: loads the code paths and the emulator's caches
    await ok(tenant, 'PUT', '/faults', { latencyMs: sizes.latencyMs });
    // Heap: a separate untimed scan, heapUsed after a forced GC every 25 pages.
    const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const idle = heapNow();
    let peak = idle;
    let pages = 0;
    await scan(() => {
      pages += 1;
      if (pages % 25 === 0) peak = Math.max(peak, heapNow());
    });
    peak = Math.max(peak, heapNow());

    const timed: Array<{ ms: number; trips: number; batches: number; pages: number; wasted: number }> = [];
    for (let run = 0; run < sizes.runs; run += 1) {
      await ok(tenant, 'POST', '/stats/reset');
      const { ms, result } = await scan();
      timed.push({ ms, trips: roundTrips(await stats(tenant)), batches: result.batches, pages: result.pages, wasted: result.wasted });
    }
    // The whole digest, as the scheduler runs it: the app's identity, every active review (the seeded ones and the demo's).
    const appClient = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 1 }).forToken(await appToken(tenant));
    const apis = graphApisOver(() => Promise.resolve(appClient));
    const digest = async () => {
      const started = performance.now();
      const data = await readDigest(apis);
      const card = digestCard(data, { now: Date.now(), teamOnly: false });
      return { ms: performance.now() - started, data, bytes: Buffer.byteLength(JSON.stringify(card), 'utf8') };
    };
    // Heap of an untimed digest: sampled after a forced GC every 50 ms while it runs.
    let digestPeak = heapNow();
    const sampler = setInterval(() => {
      digestPeak = Math.max(digestPeak, heapNow());
    }, 50);
    await digest().finally(() => clearInterval(sampler));
    digestPeak = Math.max(digestPeak, heapNow());
    const digests: Array<{ ms: number; trips: number; reviews: number; items: number; bytes: number }> = [];
    for (let run = 0; run < sizes.runs; run += 1) {
      await ok(tenant, 'POST', '/stats/reset');
      const { ms, data, bytes } = await digest();
      if (!data.totals.complete || data.totals.total < items) throw new Error(`the digest counted ${data.totals.total} items, expected at least ${items}`);
      digests.push({ ms, trips: roundTrips(await stats(tenant)), reviews: data.totals.reviews, items: data.totals.total, bytes });
    }

    const naive = await naiveWalk(tenant, token, new Set(definitionIds));
    await ok(tenant, 'PUT', '/faults', {});
    if (naive.items !== items) throw new Error(`the naive walk counted ${naive.items} of ${items} items`);

    const wall = median(timed.map((t) => t.ms));
    const last = timed.at(-1) ?? { trips: NaN, batches: NaN, pages: NaN, wasted: NaN };
    const speedup = naive.ms / wall;
    const digestWall = median(digests.map((d) => d.ms));
    const lastDigest = digests.at(-1) ?? { trips: NaN, reviews: NaN, items: NaN, bytes: NaN };
    const digestFloor = Math.ceil(Math.ceil(lastDigest.items / 100) / 20);
    const digestSpeedup = naive.ms / digestWall;
    process.stdout.write(`digest of every active review (readDigest + its card, the app's token): ${n(lastDigest.reviews)} reviews, ${n(lastDigest.items)} items ` +
      `(the ${n(instances.length)} seeded and the demo tenant's), emulator latency ${sizes.latencyMs} ms\n`);
    process.stdout.write(`  median ${secs(digestWall)} of ${sizes.runs} (${digests.map((d) => secs(d.ms)).join(' / ')}) — ${digestSpeedup.toFixed(1)}× faster than the naive walk below ` +
      `— target >= ${TARGET_SPEEDUP}×: ${mark(digestSpeedup >= TARGET_SPEEDUP)}\n`);
    process.stdout.write(`  Graph: ${lastDigest.trips} HTTP round trips; the decision pages' floor ⌈${n(lastDigest.items)}/100⌉ pages, 20 to a $batch = ${digestFloor}; ` +
      `the rest (list pages, runs 20 definitions to a $batch, group names) cannot be read in fewer: ${(lastDigest.trips / digestFloor).toFixed(2)}× the items' floor\n`);
    process.stdout.write(`  card ${n(lastDigest.bytes)} bytes — target <= ${n(MAX_CARD_BYTES)}: ${mark(lastDigest.bytes <= MAX_CARD_BYTES)}; ` +
      `heap peak ${mb(digestPeak)} (after a forced GC every 50 ms) — target < ${TARGET_HEAP_MB} MB: ${mark(digestPeak < TARGET_HEAP_MB * 2 ** 20)}\n`);
    process.stdout.write(`digest decision counts: ${n(instances.length)} in-progress instances × ${n(sizes.decisionsPerInstance)} decisions = ` +
      `${n(items)} items, emulator latency ${sizes.latencyMs} ms per HTTP request\n`);
    process.stdout.write(`  scanner (scanInstances, ${INSTANCE_BATCHES_IN_FLIGHT} $batch in flight at most): median ${secs(wall)} of ${sizes.runs} ` +
      `(${timed.map((t) => secs(t.ms)).join(' / ')})\n`);
    process.stdout.write(`    Graph: ${last.trips} HTTP round trips (${last.batches} $batch carrying ${n(last.pages)} pages, ${last.wasted} of them past an end)\n`);
    process.stdout.write(`  floor: ⌈${n(items)}/100⌉ = ${n(floorPages)} pages, 20 to a $batch = ${floorTrips} round trips; ` +
      `scanner/floor = ${(last.trips / floorTrips).toFixed(2)}× — target <= ${TARGET_TRIP_RATIO}×: ${mark(last.trips <= TARGET_TRIP_RATIO * floorTrips)}\n`);
    process.stdout.write(`  naive sequential walk (definitions → instances → decisions by @odata.nextLink, fetch): ${secs(naive.ms)}, ` +
      `${n(naive.trips)} round trips, ${n(naive.instances)} instances — scanner is ${speedup.toFixed(1)}× faster — target >= ${TARGET_SPEEDUP}×: ${mark(speedup >= TARGET_SPEEDUP)}\n`);
    process.stdout.write(`  heap (this process; ${gcExposed ? 'heapUsed after a forced full GC (--expose-gc)' : 'plain heapUsed: run with --expose-gc for after-GC figures'}, ` +
      `every 25 pages of an untimed scan at the same latency): before ${mb(idle)}, peak ${mb(peak)} — target < ${TARGET_HEAP_MB} MB: ${mark(peak < TARGET_HEAP_MB * 2 ** 20)}\n`);
  } finally {
    if (tenant) await control(tenant, 'PUT', '/faults', {}).catch(() => undefined);
    await tenant?.dispose();
  }
}
