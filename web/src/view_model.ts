// What the views show of a sensor, derived from the store at a moment `now` (local time): its
// age, its state, and the models of its tile and its detail dialog. No DOM.
import type { ServerClock } from './clock';
import { kindOf, type SensorEntry, type SensorStore, type TileState } from './store';
import type { DetailModel } from './view/detail';
import { formatAge, formatValue } from './view/format';
import type { TileModel } from './view/tile';

export const NO_READING = 'no reading yet';

/** How many sensors are in each state that the summary counts. */
export interface StateCounts {
  stale: number;
  offline: number;
}

/** Age and state of each sensor, with the bridge's receivedAt read through the clock offset. */
export class Freshness {
  constructor(
    private readonly store: SensorStore,
    private readonly clock: ServerClock,
  ) {}

  /** Time since the latest reading; NaN for a sensor known only by its status. */
  ageOf(e: SensorEntry, now: number): number {
    return e.latest === null ? NaN : now - this.clock.toLocal(e.latest.receivedAt);
  }

  stateOf(e: SensorEntry, now: number): TileState {
    return this.store.stateOf(e.id, this.ageOf(e, now));
  }

  ageText(e: SensorEntry, now: number): string {
    return e.latest === null ? NO_READING : formatAge(this.ageOf(e, now));
  }

  /** Stale and offline sensors among all in the store. */
  count(now: number): StateCounts {
    const counts: StateCounts = { stale: 0, offline: 0 };
    for (const id of this.store.ids()) {
      const entry = this.store.get(id);
      if (!entry) continue;
      const state = this.stateOf(entry, now);
      if (state === 'stale') counts.stale++;
      else if (state === 'offline') counts.offline++;
    }
    return counts;
  }
}

/**
 * A tile: its name, the latest value formatted by its device class (else by unit and id), its
 * kind, state and age, and the sparkline's points.
 */
export function tileModel(entry: SensorEntry, freshness: Freshness, now: number): TileModel {
  const r = entry.latest;
  const name = entry.meta.name ?? '';
  const deviceClass = entry.meta.deviceClass ?? '';
  if (r === null) {
    const state = freshness.stateOf(entry, now);
    return { name, deviceClass, value: '', bool: null, unit: '', kind: 'none', state, age: NO_READING, receivedAt: null, points: [] };
  }
  const f = formatValue(r.sensorId, r.value, r.unit ?? '', deviceClass);
  return {
    name,
    deviceClass,
    value: f.value,
    bool: typeof r.value === 'boolean' ? r.value : null,
    unit: f.unit,
    kind: kindOf(r.value),
    state: freshness.stateOf(entry, now),
    age: formatAge(freshness.ageOf(entry, now)),
    receivedAt: r.receivedAt,
    points: entry.history.toArray(),
  };
}

/** The detail dialog of `entry` (its chart has a model of its own: chart_controller.ts). */
export function detailModel(
  entry: SensorEntry,
  store: SensorStore,
  freshness: Freshness,
  now: number,
): DetailModel {
  return {
    id: entry.id,
    name: entry.meta.name ?? '',
    deviceClass: entry.meta.deviceClass ?? '',
    reading: entry.latest,
    state: freshness.stateOf(entry, now),
    age: freshness.ageText(entry, now),
    usualIntervalMs: store.usualIntervalMs(entry.id),
  };
}
