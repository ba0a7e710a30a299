import type { SensorReading } from '../../src/protocol';

export const T0 = 1_795_000_000_000;

export function reading(over: Partial<SensorReading> = {}): SensorReading {
  return {
    sensorId: 'temp-1',
    value: 21.5,
    unit: '°C',
    timestamp: T0,
    receivedAt: T0 + 7,
    seq: 1,
    topic: 'sensors/temp-1',
    ...over,
  };
}

/** Readings of one sensor at a fixed interval, seq 1..n. */
export function series(n: number, intervalMs: number, over: Partial<SensorReading> = {}): SensorReading[] {
  return Array.from({ length: n }, (_, i) =>
    reading({ seq: i + 1, value: 20 + i, timestamp: T0 + i * intervalMs, receivedAt: T0 + i * intervalMs + 5, ...over }),
  );
}
