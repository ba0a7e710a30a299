// Reconnect delays: exponential backoff with "full jitter" — a delay drawn uniformly from
// [0, min(cap, base · 2^attempt)) — so that many dashboards do not reconnect in lockstep
// after a bridge restart.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Returns a number in [0, 1); injectable for tests. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 30_000, random: Math.random };

/** The upper bound of the delay before retry number `attempt` (0-based). */
export function backoffCeiling(attempt: number, opts: Pick<BackoffOptions, 'baseMs' | 'capMs'>): number {
  const n = Math.max(0, Math.floor(attempt));
  // 2^n overflows nothing here: it is capped long before it matters.
  const exp = n >= 31 ? opts.capMs : opts.baseMs * 2 ** n;
  return Math.min(opts.capMs, exp);
}

/** The delay before retry number `attempt`, in whole milliseconds within [0, ceiling). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = backoffCeiling(attempt, opts);
  let r = opts.random();
  if (!(r >= 0)) r = 0;
  if (r >= 1) r = 1 - Number.EPSILON;
  return Math.min(ceiling - 1, Math.floor(r * ceiling));
}
