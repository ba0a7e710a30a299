// REST (docs/PROTOCOL.md §6). Failed reads resolve to null: the live socket remains the main
// source. The one write, removing a sensor, says how it went (RemoveOutcome).
import { queryString, type SeriesQuery } from './chart_range';
import { parseReadingList, parseSeries, restErrorMessage, type SensorReading, type SeriesAnswer } from './protocol';

const TIMEOUT_MS = 8_000;

/** Where REST finds the access token, and whom it tells about a 401. */
export interface ApiAuth {
  token(): string | null;
  /** reason: the 401's error message ("token required", "invalid token", "token expired"). */
  onUnauthorized(reason: string): void;
}

async function unauthorizedReason(res: Response): Promise<string> {
  try {
    return restErrorMessage(await res.json()) ?? 'token required';
  } catch {
    return 'token required';
  }
}

let auth: ApiAuth | null = null;

export function configureApiAuth(a: ApiAuth | null): void {
  auth = a;
}

/** Request headers: JSON, plus the token as a Bearer credential when there is one. */
export function requestHeaders(token: string | null): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  return headers;
}

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  const onAbort = (): void => ctrl.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    const res = await fetch(path, { signal: ctrl.signal, headers: requestHeaders(auth?.token() ?? null), cache: 'no-store' });
    if (res.status === 401) {
      auth?.onUnauthorized(await unauthorizedReason(res));
      return null;
    }
    if (!res.ok) return null;
    return (await res.json()) as unknown;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** GET /api/sensors: the latest reading of every sensor, or null when the bridge did not answer. */
export async function fetchLatest(base: string): Promise<SensorReading[] | null> {
  const body = await getJson(`${base}api/sensors`);
  return body === null ? null : parseReadingList(body);
}

/** GET /api/sensors/{id}/history: recent readings, oldest first ([] when unavailable). */
export async function fetchHistory(base: string, id: string, limit: number, signal?: AbortSignal): Promise<SensorReading[]> {
  const body = await getJson(`${base}api/sensors/${encodeURIComponent(id)}/history?limit=${limit}`, signal);
  return parseReadingList(body).filter((r) => r.sensorId === id);
}

/** The address of GET /api/sensors/{id}/series with `query` (also the CSV link's href). */
export function seriesHref(base: string, id: string, query: SeriesQuery): string {
  return `${base}api/sensors/${encodeURIComponent(id)}/series?${queryString(query)}`;
}

/** GET /api/sensors/{id}/series: the sensor's readings over a range, chart-sized; null when unavailable. */
export async function fetchSeries(base: string, id: string, query: SeriesQuery, signal?: AbortSignal): Promise<SeriesAnswer | null> {
  const answer = parseSeries(await getJson(seriesHref(base, id, query), signal));
  return answer?.sensorId === id ? answer : null;
}

/**
 * A CSV link's file, fetched with the token as a Bearer header (a plain link cannot send it);
 * null when the bridge did not give it.
 */
export async function fetchCsv(href: string): Promise<Blob | null> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS * 4);
  try {
    const headers = { ...requestHeaders(auth?.token() ?? null), Accept: 'text/csv' };
    const res = await fetch(href, { signal: ctrl.signal, headers, cache: 'no-store' });
    if (res.status === 401) {
      auth?.onUnauthorized(await unauthorizedReason(res));
      return null;
    }
    return res.ok ? await res.blob() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether REST calls carry a token (a CSV link then has to be fetched, not followed). */
export function hasApiToken(): boolean {
  return (auth?.token() ?? null) !== null;
}

/** How DELETE /api/sensors/{id} went: done, or refused with the bridge's reason. */
export type RemoveOutcome = { ok: true } | { ok: false; status: number; message: string };

/** The message of an `{"error":{...}}` answer, or a fallback naming the status. */
async function errorMessage(res: Response): Promise<string> {
  try {
    const message = restErrorMessage(await res.json());
    if (message !== null) return message;
  } catch {
    // not JSON: the fallback below
  }
  return `the bridge answered ${res.status}`;
}

/**
 * DELETE /api/sensors/{id}: the bridge forgets the sensor (204). A 401 asks for a token, like a
 * read; a 403 (no admin right), a 404 (unknown sensor) or no answer come back with their reason.
 */
export async function removeSensor(base: string, id: string): Promise<RemoveOutcome> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(`${base}api/sensors/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      signal: ctrl.signal,
      headers: requestHeaders(auth?.token() ?? null),
      cache: 'no-store',
    });
    if (res.ok) return { ok: true };
    if (res.status === 401) {
      const reason = await unauthorizedReason(res);
      auth?.onUnauthorized(reason);
      return { ok: false, status: 401, message: reason };
    }
    return { ok: false, status: res.status, message: await errorMessage(res) };
  } catch {
    return { ok: false, status: 0, message: 'the bridge did not answer' };
  } finally {
    clearTimeout(timer);
  }
}
