/**
 * What /healthz and /readyz answer (docs/operations.md, "Failure modes").
 * - ready: started, model loaded, and the source really consuming (it recovers after a reconnect).
 * - alive: false only when the process is stuck: input is waiting (lag > 0, measured within the
 *   last minute) and no batch has completed for stream.stuckAfterSeconds. A broker that is away
 *   makes the lag unknown, so it never makes the service unhealthy: a restart would not help.
 */

/** A lag older than this is unknown (the broker may be away). */
const LAG_FRESH_MS = 60_000;

export interface Liveness {
  alive: boolean;
  /** seconds without batch progress while input waits (0 when not stuck) */
  stuckForSeconds: number;
}

export class HealthCheck {
  private lagTotal = 0;
  private lagAt = 0;

  constructor(private readonly stuckAfterMs: number, private readonly lastProgressAt: () => number) {}

  /** Records the lag over all partitions, as just read from the broker. */
  setLag(total: number, now = Date.now()): void {
    this.lagTotal = total;
    this.lagAt = now;
  }

  liveness(now = Date.now()): Liveness {
    const lagKnown = now - this.lagAt < LAG_FRESH_MS;
    const idleMs = now - this.lastProgressAt();
    const stuck = lagKnown && this.lagTotal > 0 && idleMs >= this.stuckAfterMs;
    return { alive: !stuck, stuckForSeconds: stuck ? Math.round(idleMs / 1000) : 0 };
  }
}

/** Resolves with the promise's outcome, or with 'timeout' once `ms` have passed (the promise runs on). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}
