// REST reads (DESIGN.md §7). Failures resolve to null: the live socket remains the main source.
import { parseReadingList, type SensorReading } from './protocol';

const TIMEOUT_MS = 8_000;

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  const onAbort = (): void => ctrl.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    const res = await fetch(path, { signal: ctrl.signal, headers: { Accept: 'application/json' }, cache: 'no-store' });
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
