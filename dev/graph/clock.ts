import { readMeta, writeMeta, type Db } from './store/db';

/**
 * The emulator's clock: real time plus an offset that `/_emulator/clock` moves forward. The offset is
 * persisted, so a restart keeps the emulated date.
 */
export class EmulatorClock {
  private offsetMs: number;

  constructor(private readonly db: Db, private readonly realNow: () => number = Date.now) {
    this.offsetMs = Number(readMeta(db, 'clockOffsetMs') ?? 0);
  }

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** Moves the clock to `target`; it never goes back (reviews already ran). */
  moveTo(target: Date): void {
    const offset = target.getTime() - this.realNow();
    if (offset < this.offsetMs) return;
    this.offsetMs = offset;
    writeMeta(this.db, 'clockOffsetMs', String(offset));
  }

  reset(): void {
    this.offsetMs = 0;
    writeMeta(this.db, 'clockOffsetMs', '0');
  }
}
