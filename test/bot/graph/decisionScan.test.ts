import fc from 'fast-check';
import { isAppError } from '../../../bot/errors';
import { retryDelayMs, scanInstances, type InstanceRef } from '../../../bot/graph/decisionScan';
import { PagePlanner, type PageRef } from '../../../bot/graph/pagePlanner';
import { GraphClientFactory } from '../../../bot/graph/graphClient';
import { control, graphItems, REVIEWS, startLocalTenant, userToken, type LocalTenant } from '../../support/localTenant';

/**
 * Issue 12, item 4: the decisions of many instances read in shared `$batch` requests (bot/graph/decisionScan.ts).
 * The planner is checked on its own against simulated answers (fast-check); the scan against the real emulator:
 * every item once and in order per instance (beside a plain @odata.nextLink walk), the `$batch` count against the
 * floor, a missing instance reported without losing the others, injected 429/503s re-sent to completion.
 */

const pagesOf = (items: number): number => Math.max(1, Math.ceil(items / 100));
const floorOf = (sizes: readonly number[]): number => Math.ceil(sizes.reduce((sum, size) => sum + pagesOf(size), 0) / 20);

describe('PagePlanner (simulated Graph)', () => {
  interface Run { batches: number; requested: Map<string, number>; delivered: number[][]; maxHolding: number; maxInFlight: number; wasted: number }

  /**
   * Drives a planner over instances of `sizes` items: batches answered in an order chosen by `pick`, a page answered
   * 'retry' when `throttle` says so (due one tick later), instances in `failing` answering 'failed' on their first page.
   */
  function simulate(sizes: readonly number[], maxBatchesInFlight: number, pick: (inFlight: number) => number,
    throttle: (ref: PageRef) => boolean, failing: ReadonlySet<number> = new Set()): Run {
    const planner = new PagePlanner(sizes.length, { maxBatchesInFlight, maxPages: 2000, maxRetries: 1000 });
    const inFlight: PageRef[][] = [];
    const flying = new Set<string>();
    const run: Run = { batches: 0, requested: new Map(), delivered: sizes.map(() => []), maxHolding: 0, maxInFlight: 0, wasted: 0 };
    let now = 0;
    for (let steps = 0; !planner.done || inFlight.length > 0; steps += 1) {
      if (steps > 100_000) throw new Error('the planner does not finish');
      if (!planner.done) {
        for (let batch = planner.plan(now); batch !== undefined; batch = planner.plan(now)) {
          if (batch.length === 0 || batch.length > 20) throw new Error(`a batch of ${batch.length}`);
          for (const { index, page } of batch) {
            const key = `${index}:${page}`;
            if (flying.has(key)) throw new Error(`page ${key} asked for twice at once`);
            flying.add(key);
            run.requested.set(key, (run.requested.get(key) ?? 0) + 1);
          }
          inFlight.push(batch);
          run.batches += 1;
        }
      }
      run.maxInFlight = Math.max(run.maxInFlight, inFlight.length, planner.inFlightBatches);
      run.maxHolding = Math.max(run.maxHolding, planner.holding);
      if (inFlight.length === 0) {
        const due = planner.nextDue();
        if (due === undefined) throw new Error('nothing in flight, nothing due, not done');
        now = Math.max(now + 1, due);
        continue;
      }
      const [batch = []] = inFlight.splice(pick(inFlight.length) % inFlight.length, 1);
      for (const ref of batch) {
        flying.delete(`${ref.index}:${ref.page}`);
        const size = sizes[ref.index] ?? 0;
        const items = Math.max(0, Math.min(100, size - ref.page * 100));
        const outcome = failing.has(ref.index) ? { kind: 'failed' as const }
          : throttle(ref) ? { kind: 'retry' as const, due: now + 1 }
            : { kind: 'page' as const, items, more: size > (ref.page + 1) * 100 };
        const effect = planner.answer(ref, outcome);
        if (effect.wasted) run.wasted += 1;
        run.delivered[ref.index]?.push(...effect.deliver);
      }
      planner.settled();
      now += 1;
    }
    return run;
  }

  const sizesArb = fc.array(fc.oneof(fc.constantFrom(0, 1, 99, 100, 101, 500, 2000, 2050), fc.integer({ min: 0, max: 4000 })), { minLength: 1, maxLength: 40 });

  test('every page of every instance requested and handed on once, in order; ≤ 20 a batch; the in-flight and memory bounds kept', () => {
    fc.assert(fc.property(sizesArb, fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), (sizes, bound, choices) => {
      let step = 0;
      const run = simulate(sizes, bound, (count) => (choices[step++ % choices.length] ?? 0) % count, () => false);
      sizes.forEach((size, index) => {
        expect(run.delivered[index]).toEqual(Array.from({ length: pagesOf(size) }, (_, page) => page));
        for (let page = 0; page < pagesOf(size); page += 1) expect(run.requested.get(`${index}:${page}`)).toBe(1);
      });
      expect(run.maxInFlight).toBeLessThanOrEqual(bound);
      // Never more held (in flight, or answered and waiting for an earlier page) than the batches in flight can carry.
      expect(run.maxHolding).toBeLessThanOrEqual(bound * 20);
    }), { numRuns: 300 });
  });

  test('with pages throttled at random: still every page once, in order; only throttled pages sent again', () => {
    fc.assert(fc.property(sizesArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1000 }), (sizes, bound, seed) => {
      let state = seed;
      const random = (): number => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
      const throttled = new Map<string, number>();
      const run = simulate(sizes, bound, (count) => Math.floor(random() * count), (ref) => {
        if (random() >= 0.25) return false;
        throttled.set(`${ref.index}:${ref.page}`, (throttled.get(`${ref.index}:${ref.page}`) ?? 0) + 1);
        return true;
      });
      sizes.forEach((size, index) => {
        expect(run.delivered[index]).toEqual(Array.from({ length: pagesOf(size) }, (_, page) => page));
        for (let page = 0; page < pagesOf(size); page += 1) {
          const key = `${index}:${page}`;
          expect(run.requested.get(key)).toBe(1 + (throttled.get(key) ?? 0));
        }
      });
      expect(run.maxInFlight).toBeLessThanOrEqual(bound);
      // Re-sends may go beyond the bound on new pages (they are what held pages wait for): at most one more batch each.
      expect(run.maxHolding).toBeLessThanOrEqual(2 * bound * 20);
    }), { numRuns: 200 });
  });

  test('a failing instance hands nothing more on and does not hold up the others', () => {
    fc.assert(fc.property(sizesArb, fc.integer({ min: 1, max: 4 }), fc.nat(), (sizes, bound, which) => {
      const failing = new Set([which % sizes.length]);
      const run = simulate(sizes, bound, () => 0, () => false, failing);
      sizes.forEach((size, index) => {
        expect(run.delivered[index]).toEqual(failing.has(index) ? [] : Array.from({ length: pagesOf(size) }, (_, page) => page));
      });
    }), { numRuns: 100 });
  });

  test('many equal instances cost the floor, or one more: batches full of pages known to exist, little speculation', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
      (count, size, bound, choices) => {
        let step = 0;
        const sizes = Array.from({ length: count }, () => size);
        const run = simulate(sizes, bound, (inFlight) => (choices[step++ % choices.length] ?? 0) % inFlight, () => false);
        if (count >= 20) {
          // Enough instances to fill batches with known pages: speculation only fills a partial batch sent when
          // nothing else is in flight.
          expect(run.batches).toBeLessThanOrEqual(floorOf(sizes) + 1);
          expect(run.wasted).toBeLessThanOrEqual(2 * 19);
        } else {
          // Fewer: slow start per instance, as scanDecisions does for one.
          expect(run.batches).toBeLessThanOrEqual(floorOf(sizes) + Math.ceil(pagesOf(size) / 20) + bound);
        }
      }), { numRuns: 200 });
  });

  test('one large instance does not go a page per round trip: 20 pages in the first batch, then several batches at once', () => {
    const run = simulate([10_000], 3, () => 0, () => false);
    expect(run.delivered[0]).toHaveLength(100);
    expect(run.maxInFlight).toBe(3);
    expect(run.batches).toBeLessThanOrEqual(5 + 3);
  });

  test('backoff: Retry-After when given, else doubling with jitter, capped', () => {
    expect(retryDelayMs(3, 1, 1, () => 0.5)).toBe(3000);
    expect(retryDelayMs(0, 5, 1, () => 0.5)).toBe(0);
    expect(retryDelayMs(undefined, 1, 1, () => 0)).toBe(500);
    expect(retryDelayMs(undefined, 1, 1, () => 1)).toBe(1000);
    expect(retryDelayMs(undefined, 3, 1, () => 1)).toBe(4000);
    expect(retryDelayMs(undefined, 20, 1, () => 1)).toBe(60_000);
    expect(retryDelayMs(600, 1, 1, () => 1)).toBe(60_000);
  });
});

describe('scanInstances against the local Graph emulator', () => {
  const SIZES = [0, 1, 99, 100, 101, 500, 2050];
  let tenant: LocalTenant;
  let factory: GraphClientFactory;
  let token: string;
  let instances: InstanceRef[];
  /** Every decision id of each instance, by a plain walk of `$top=100` pages along `@odata.nextLink`. */
  let expected: string[][];

  interface Stats { requests: number; batches: number; inBatches: number }
  const stats = async (): Promise<Stats> => (await control(tenant, 'GET', '/stats')).body as Stats;

  async function scan(refs: readonly InstanceRef[], options: Partial<Parameters<typeof scanInstances>[2]> = {}) {
    const ids: string[][] = refs.map(() => []);
    const pageSizes: number[][] = refs.map(() => []);
    const result = await scanInstances(factory.forToken(token), refs, { select: ['id'], ...options }, (index, items) => {
      ids[index]?.push(...items.map((item) => item.id));
      pageSizes[index]?.push(items.length);
    });
    return { result, ids, pageSizes };
  }

  beforeAll(async () => {
    tenant = await startLocalTenant();
    factory = new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 });
    token = await userToken(tenant, 'adele@contoso.local');
    instances = [];
    for (const size of SIZES) {
      const seeded = await control(tenant, 'POST', '/seed', { definitions: 1, decisionsPerInstance: size });
      expect(seeded.status).toBe(200);
      const { definitions, instances: runs } = seeded.body as { definitions: string[]; instances: string[] };
      expect(runs).toHaveLength(1);
      instances.push({ definitionId: definitions[0] ?? '', instanceId: runs[0] ?? '' });
    }
    expected = [];
    for (const { definitionId, instanceId } of instances) {
      const run = (await graphItems<{ status: string }>(tenant, token, `${REVIEWS}/${definitionId}/instances?$select=id,status`));
      expect(run.map((r) => r.status)).toEqual(['InProgress']);
      expected.push((await graphItems<{ id: string }>(tenant, token, `${REVIEWS}/${definitionId}/instances/${instanceId}/decisions?$top=100&$select=id`)).map((d) => d.id));
    }
    expect(expected.map((ids) => ids.length)).toEqual(SIZES);
  }, 120_000);
  afterAll(async () => {
    await control(tenant, 'PUT', '/faults', {});
    await tenant.dispose();
  });
  afterEach(async () => {
    await control(tenant, 'PUT', '/faults', {});
  });

  test('mixed sizes: every item once, in page order per instance; $batch requests within one of the floor', async () => {
    await control(tenant, 'POST', '/stats/reset');
    const { result, ids, pageSizes } = await scan(instances);
    expect(ids).toEqual(expected);
    // Pages of 100 in order, the last one short or full: a 500-item instance is 5 pages, no empty sixth handed on.
    expect(pageSizes).toEqual(SIZES.map((size) => Array.from({ length: pagesOf(size) }, (_, page) => Math.min(100, size - page * 100))));
    expect(result.failures).toEqual([]);
    expect(result.items).toBe(SIZES.reduce((a, b) => a + b, 0));
    const phase = await stats();
    expect(phase.batches).toBe(result.batches);
    expect(phase.inBatches).toBe(result.pages);
    expect(phase.requests).toBe(result.pages); // nothing outside the batches
    // The floor is ⌈32 pages / 20⌉ = 2. Nothing is known of the sizes before the first answers, so the first batch
    // guesses (speculative pages of every instance) and the 2,050-item one needs a second guess: within one of the floor.
    expect(floorOf(SIZES)).toBe(2);
    expect(result.batches).toBeLessThanOrEqual(floorOf(SIZES) + 1);
    expect(result.pages - result.wasted).toBe(32);
  }, 60_000);

  test('many instances: the $batch requests equal the floor exactly', async () => {
    // 3 copies of the 500-item and 101-item instances, 5 of each small one: 21 instances, 3·5 + 3·2 + 5·4 = 41 pages.
    const times = <T>(count: number, value: T): T[] => Array.from({ length: count }, () => value);
    const picks = [...times(3, 5), ...times(3, 4), ...[0, 1, 2, 3].flatMap((i) => times(5, i))];
    const many = picks.map((i) => instances[i]);
    const sizes = picks.map((i) => SIZES[i] ?? NaN);
    await control(tenant, 'POST', '/stats/reset');
    const { result, ids } = await scan(many);
    expect(ids.map((list) => list.length)).toEqual(sizes);
    expect(floorOf(sizes)).toBe(3);
    expect(result.batches).toBe(3);
    const phase = await stats();
    expect(phase.batches).toBe(3);
    expect(phase.inBatches).toBe(result.pages);
  }, 60_000);

  test('maxItems cuts each instance on its own: the first pages handed on, the instance listed as truncated', async () => {
    const { result, ids } = await scan(instances, { maxItems: 300 });
    expect(ids).toEqual(expected.map((list) => list.slice(0, 300)));
    expect(result.truncated).toEqual([5, 6]);
    expect(result.failures).toEqual([]);
  }, 60_000);

  test('a missing instance is reported as NotFound; every other instance is complete', async () => {
    const refs = [...instances.slice(0, 3), { definitionId: instances[6]?.definitionId ?? '', instanceId: 'no-such-instance' }, ...instances.slice(3)];
    const { result, ids } = await scan(refs);
    expect(result.failures.map((failure) => failure.index)).toEqual([3]);
    expect(isAppError(result.failures[0]?.error, 'NotFound')).toBe(true);
    expect(ids[3]).toEqual([]);
    expect([...ids.slice(0, 3), ...ids.slice(4)]).toEqual(expected);
  }, 60_000);

  test('injected 429s (Retry-After) and 503s (no Retry-After: backoff) are re-sent until every item is read', async () => {
    expect((await control(tenant, 'PUT', '/faults', { errorRate: 0.3, statuses: [429, 503], retryAfterSeconds: undefined, seed: 7 })).status).toBe(200);
    await control(tenant, 'POST', '/stats/reset');
    const { result, ids } = await scan(instances, { maxRetries: 12, backoffSeconds: 0.05 });
    expect(result.failures).toEqual([]);
    expect(ids).toEqual(expected);
    expect(result.retried).toBeGreaterThan(0);
    expect((await stats()).inBatches).toBe(result.pages);
  }, 90_000);

  test('a 429 is re-sent no sooner than its Retry-After', async () => {
    expect((await control(tenant, 'PUT', '/faults', { errorRate: 0.5, statuses: [429], retryAfterSeconds: 1, seed: 11 })).status).toBe(200);
    await control(tenant, 'POST', '/stats/reset');
    const started = performance.now();
    // backoffSeconds near 0: only the Retry-After can make the scan wait.
    const { result, ids } = await scan(instances.slice(0, 6), { maxRetries: 12, backoffSeconds: 0.001 });
    const elapsed = performance.now() - started;
    expect(ids).toEqual(expected.slice(0, 6));
    expect(result.retried).toBeGreaterThan(0);
    // A re-sent page went at least a second after its 429 (without the Retry-After it would have gone after ~1 ms).
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  }, 60_000);

  test('retries exhausted fail each instance on its own (GraphUnavailable), nothing thrown', async () => {
    expect((await control(tenant, 'PUT', '/faults', { errorRate: 1, statuses: [503], seed: 3 })).status).toBe(200);
    const { result, ids } = await scan(instances.slice(0, 3), { maxRetries: 1, backoffSeconds: 0.01 });
    expect(result.failures.map((failure) => failure.index)).toEqual([0, 1, 2]);
    expect(result.failures.every((failure) => isAppError(failure.error, 'GraphUnavailable'))).toBe(true);
    expect(ids).toEqual([[], [], []]);
  }, 30_000);

  test('an expired or foreign token ends the whole scan as SignInRequired', async () => {
    const refused = await scanInstances(new GraphClientFactory({ baseUrl: tenant.graph, retryDelaySeconds: 0 }).forToken('not-a-token'), instances, { select: ['id'] }, () => undefined)
      .then(() => undefined, (error: unknown) => error);
    expect(isAppError(refused, 'SignInRequired')).toBe(true);
  });
});
