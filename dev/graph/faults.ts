import { z } from 'zod';

/** `PUT /_emulator/faults` body; `{}` turns faults off. */
export const FaultConfigSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  statuses: z.array(z.number().int().min(400).max(599)).nonempty().default([429, 503]),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  seed: z.number().int().default(1),
  /**
   * Share of injected 5xx answers to writes that come *after* the write was made (a lost response), so clients
   * must check before retrying. 429s are always refused before anything happens. Not in the contract; default 0.5.
   */
  lostWriteRatio: z.number().min(0).max(1).default(0.5),
}).strict();

export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export interface Fault {
  status: number;
  retryAfterSeconds: number | undefined;
  /** The request runs, then its answer is replaced by the error. */
  afterExecution: boolean;
}

/** mulberry32: a tiny deterministic PRNG, so a seed replays the same faults. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request, whether to inject an error (deterministic per seed). */
export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: () => number = Math.random;

  configure(config: FaultConfig | undefined): void {
    this.config = config;
    this.random = prng(config?.seed ?? 1);
  }

  get current(): FaultConfig | undefined {
    return this.config;
  }

  get latencyMs(): number {
    return this.config?.latencyMs ?? 0;
  }

  draw(isWrite: boolean): Fault | undefined {
    const config = this.config;
    if (!config || config.errorRate === 0) return undefined;
    if (this.random() >= config.errorRate) return undefined;
    const status = config.statuses[Math.floor(this.random() * config.statuses.length)] ?? 503;
    const lost = this.random() < config.lostWriteRatio;
    return {
      status,
      retryAfterSeconds: config.retryAfterSeconds ?? (status === 429 ? 1 : undefined),
      afterExecution: isWrite && status >= 500 && lost,
    };
  }
}
