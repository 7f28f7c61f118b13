import type { Tenant } from '../tenant/tenant';
import { seedDemoTenant } from '../tenant/seed';
import { EmulatorClock } from './clock';
import { FaultInjector } from './faults';
import { Lifecycle } from './reviews/lifecycle';
import { ReviewService } from './reviews/service';
import type { Emulator } from './router';
import { clearDatabase, openDatabase, readMeta, writeMeta, type Db } from './store/db';
import { DecisionStore } from './store/decisionStore';
import { DirectoryStore } from './store/directoryStore';
import { ReviewStore } from './store/reviewStore';

/** Request counters for `/_emulator/stats`. */
export class Stats {
  requests = 0;
  batches = 0;
  /** Of `requests`, those that came inside a `$batch` (HTTP round trips = requests − inBatches + batches). */
  inBatches = 0;
  /**
   * Of `requests`, those answered with an injected fault (`PUT /_emulator/faults`), at `GET /_emulator/stats/faults`:
   * when only refused requests are re-sent, `requests − faults` is the number that ran (e.g. each decision recorded once).
   */
  faults = 0;
  /** Authenticated requests by the identity that made them: an app on its own (client credentials) or an app for a user. */
  byCaller = { app: 0, user: 0 };
  /** The routes the app-only identity called (the bot's scheduled work; never a user's command). */
  appByRoute: Record<string, number> = {};
  byRoute: Record<string, number> = {};

  /** Records who made an authenticated request to `route`. */
  countCaller(kind: 'app' | 'user', route: string): void {
    this.byCaller[kind] += 1;
    if (kind === 'app') this.appByRoute[route] = (this.appByRoute[route] ?? 0) + 1;
  }

  count(route: string): void {
    this.requests += 1;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  reset(): void {
    this.requests = 0;
    this.batches = 0;
    this.inBatches = 0;
    this.faults = 0;
    this.byCaller = { app: 0, user: 0 };
    this.appByRoute = {};
    this.byRoute = {};
  }
}

/**
 * The Graph emulator without HTTP: stores, lifecycle, services, clock, faults and stats over one SQLite file.
 * The HTTP server and unit tests both build on it.
 */
export class EmulatorCore implements Emulator {
  readonly db: Db;
  readonly directory: DirectoryStore;
  readonly reviews: ReviewStore;
  readonly decisions: DecisionStore;
  readonly lifecycle: Lifecycle;
  readonly service: ReviewService;
  readonly clock: EmulatorClock;
  readonly faults = new FaultInjector();
  readonly stats = new Stats();
  baseUrl: string;

  constructor(options: { dbFile: string; tenant: Tenant; baseUrl?: string; realNow?: () => number }, private readonly tenant = options.tenant) {
    this.db = openDatabase(options.dbFile);
    this.directory = new DirectoryStore(this.db);
    this.reviews = new ReviewStore(this.db);
    this.decisions = new DecisionStore(this.db);
    // Transitional statuses are held for twice the injected latency: a client that waits that long still sees them.
    this.lifecycle = new Lifecycle(this.db, this.directory, this.reviews, this.decisions, () => 2 * this.faults.latencyMs);
    this.service = new ReviewService(this.db, this.directory, this.reviews, this.decisions, this.lifecycle);
    this.clock = new EmulatorClock(this.db, options.realNow);
    this.baseUrl = options.baseUrl ?? 'http://127.0.0.1';
  }

  appName(appId: string): string {
    return this.tenant.apps.find((app) => app.appId === appId)?.displayName ?? appId;
  }

  /** Seeds the demo tenant on the first start (state persists across restarts afterwards). */
  ensureSeeded(): void {
    if (readMeta(this.db, 'seededAt') !== undefined) return;
    this.reset();
  }

  /** Back to the seeded demo tenant: clock, faults and stats too. */
  reset(): void {
    clearDatabase(this.db);
    this.clock.reset();
    this.faults.configure(undefined);
    this.stats.reset();
    this.lifecycle.invalidate();
    const now = this.clock.now();
    seedDemoTenant(this, this.tenant, now);
    this.lifecycle.runUntil(now);
    writeMeta(this.db, 'seededAt', now.toISOString());
  }

  /** Runs the lifecycle up to the emulator's now (called before every Graph request). */
  tick(): Date {
    const now = this.clock.now();
    this.lifecycle.runUntil(now);
    return now;
  }

  close(): void {
    this.db.close();
  }
}
