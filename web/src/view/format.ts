// Unit- and device-class-aware formatting of values, and ages. Pure; returns plain strings for
// textContent. A device class (Home Assistant's device_class, from the sensor's discovery
// config) wins over the unit and the id: it is what the device says it measures.
import type { ReadingValue } from '../protocol';

export interface FormattedValue {
  value: string;
  unit: string;
}

interface UnitRule {
  digits: number;
  /** Optional scaling to a larger unit once the magnitude passes `at`. */
  scale?: { at: number; by: number; unit: string; digits: number };
}

const UNIT_RULES: Record<string, UnitRule> = {
  '°C': { digits: 1 },
  '°F': { digits: 1 },
  K: { digits: 1 },
  '%': { digits: 0 },
  '%RH': { digits: 0 },
  ppm: { digits: 0 },
  ppb: { digits: 0 },
  W: { digits: 0, scale: { at: 10_000, by: 1_000, unit: 'kW', digits: 2 } },
  kW: { digits: 2 },
  Wh: { digits: 0, scale: { at: 10_000, by: 1_000, unit: 'kWh', digits: 2 } },
  kWh: { digits: 2 },
  V: { digits: 1 },
  A: { digits: 2 },
  Hz: { digits: 1 },
  hPa: { digits: 0 },
  Pa: { digits: 0, scale: { at: 10_000, by: 1_000, unit: 'kPa', digits: 1 } },
  lx: { digits: 0 },
  dB: { digits: 0 },
  dBm: { digits: 0 },
  s: { digits: 1 },
  ms: { digits: 0 },
  m: { digits: 2 },
  'm/s': { digits: 1 },
};

/** Decimals by numeric device class; `fixed`: always that many, else up to that many. */
const CLASS_DIGITS: Record<string, { digits: number; fixed: boolean }> = {
  temperature: { digits: 1, fixed: true },
  humidity: { digits: 0, fixed: true },
  moisture: { digits: 0, fixed: true },
  battery: { digits: 0, fixed: true },
  pressure: { digits: 1, fixed: true },
  atmospheric_pressure: { digits: 1, fixed: true },
  illuminance: { digits: 0, fixed: true },
  power: { digits: 2, fixed: false },
  apparent_power: { digits: 2, fixed: false },
  reactive_power: { digits: 2, fixed: false },
  energy: { digits: 2, fixed: false },
  voltage: { digits: 2, fixed: false },
  current: { digits: 2, fixed: false },
  frequency: { digits: 2, fixed: false },
  power_factor: { digits: 2, fixed: false },
  carbon_dioxide: { digits: 0, fixed: true },
  carbon_monoxide: { digits: 0, fixed: true },
  volatile_organic_compounds: { digits: 0, fixed: true },
  pm1: { digits: 0, fixed: true },
  pm25: { digits: 0, fixed: true },
  pm10: { digits: 0, fixed: true },
  signal_strength: { digits: 0, fixed: true },
};

/** SenML (RFC 8428) unit symbols shown the way people read them. */
const DISPLAY_UNITS: Record<string, string> = { Cel: '°C', degF: '°F', '%EL': '%', '/': '' };

/** A table's entry for an untrusted key: "constructor" or "__proto__" must not find Object's. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** fixed: always `digits` decimals (known units); otherwise up to `digits`, no trailing zeros. */
function numberFormat(digits: number, fixed = true): Intl.NumberFormat {
  const key = `${digits}:${fixed}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { minimumFractionDigits: fixed ? digits : 0, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f;
}

/** Digits for a number with no known unit: enough to be useful, never noisy. */
function autoDigits(v: number): number {
  const a = Math.abs(v);
  if (Number.isInteger(v) || a >= 1000) return 0;
  if (a >= 100) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** By unit (a large W becomes kW), with the device class's decimals when it has a rule. */
export function formatNumber(v: number, rawUnit = '', deviceClass = ''): FormattedValue {
  const unit = own(DISPLAY_UNITS, rawUnit) ?? rawUnit;
  const rule = own(UNIT_RULES, unit);
  if (rule?.scale && Math.abs(v) >= rule.scale.at) {
    return { value: numberFormat(rule.scale.digits).format(v / rule.scale.by), unit: rule.scale.unit };
  }
  const byClass = own(CLASS_DIGITS, deviceClass);
  if (byClass) return { value: numberFormat(byClass.digits, byClass.fixed).format(v), unit };
  if (rule) return { value: numberFormat(rule.digits).format(v), unit };
  return { value: numberFormat(autoDigits(v), false).format(v), unit };
}

/** Labels for booleans, guessed from the sensor's id: a door is open, not "true". */
const BOOLEAN_LABELS: [RegExp, string, string][] = [
  [/door|window|contact|lid|gate|garage/i, 'open', 'closed'],
  [/motion|presence|occupan|pir/i, 'detected', 'clear'],
  [/leak|water|flood/i, 'leak', 'dry'],
  [/alarm|alert|smoke/i, 'alarm', 'ok'],
];

/**
 * Words for true/false by binary device class, as Home Assistant shows them (true is its "on":
 * for a lock, unlocked). A class not listed here falls back to the id's guess.
 */
const CLASS_LABELS: Record<string, readonly [string, string]> = {
  door: ['open', 'closed'],
  window: ['open', 'closed'],
  opening: ['open', 'closed'],
  garage_door: ['open', 'closed'],
  motion: ['detected', 'clear'],
  occupancy: ['detected', 'clear'],
  presence: ['detected', 'clear'],
  vibration: ['detected', 'clear'],
  sound: ['detected', 'clear'],
  tamper: ['detected', 'clear'],
  smoke: ['detected', 'clear'],
  gas: ['detected', 'clear'],
  carbon_monoxide: ['detected', 'clear'],
  moisture: ['wet', 'dry'],
  problem: ['problem', 'OK'],
  safety: ['unsafe', 'safe'],
  connectivity: ['connected', 'disconnected'],
  lock: ['unlocked', 'locked'],
  battery: ['low', 'normal'],
  battery_charging: ['charging', 'not charging'],
  moving: ['moving', 'stopped'],
  plug: ['on', 'off'],
  power: ['on', 'off'],
  outlet: ['on', 'off'],
  running: ['on', 'off'],
};

export function booleanLabel(id: string, v: boolean, deviceClass = ''): string {
  const byClass = own(CLASS_LABELS, deviceClass);
  if (byClass) return v ? byClass[0] : byClass[1];
  for (const [re, yes, no] of BOOLEAN_LABELS) if (re.test(id)) return v ? yes : no;
  return v ? 'on' : 'off';
}

/** `deviceClass` '' (none known): by unit for numbers, by the id's words for booleans. */
export function formatValue(id: string, v: ReadingValue, unit = '', deviceClass = ''): FormattedValue {
  if (typeof v === 'number') return formatNumber(v, unit, deviceClass);
  if (typeof v === 'boolean') return { value: booleanLabel(id, v, deviceClass), unit: '' };
  return { value: v, unit };
}

/** "just now", "3 s ago", "4 min ago", "2 h ago", "5 d ago". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** A duration such as a learned interval: "500 ms", "2 s", "5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6_000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}

export function formatClock(ms: number, withSeconds = true): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** A stable hue for a string state, so "heating" is always the same colour. */
export function hueOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}
