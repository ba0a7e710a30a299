// Labels of the history chart's axes and legend, in the browser's local time and number format.
// Pure: uPlot hands these the tick positions it chose and the step between them.
import { formatNumber } from './format';

const pad = (n: number): string => String(n).padStart(2, '0');

let dayFormat: Intl.DateTimeFormat | null = null;

/** "Dec 7" in the browser's language, local time. */
export function dayText(ms: number): string {
  dayFormat ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  return dayFormat.format(new Date(ms));
}

function clockText(d: Date, seconds: boolean): string {
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/**
 * Time-axis labels in local time: HH:mm:ss for ticks under a minute apart, HH:mm under a day
 * (with the day beneath the first tick and each midnight crossed), else the day alone.
 */
export function timeTicks(splits: readonly number[], stepMs: number): string[] {
  if (stepMs >= 86_400_000) return splits.map(dayText);
  return splits.map((t, i) => {
    const clock = clockText(new Date(t), stepMs < 60_000);
    const prev = splits[i - 1];
    return prev === undefined || dayOf(prev) !== dayOf(t) ? `${clock}\n${dayText(t)}` : clock;
  });
}

/** The legend's time: local "2026-12-07 10:04:05". */
export function dateTimeText(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockText(d, true)}`;
}

/** Decimals that show `step` exactly (0.25 → 2, 2.5 → 1, 50 → 0), at most 6. */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  const text = String(Number(step.toPrecision(6)));
  const exp = /e-(\d+)$/.exec(text);
  const mantissa = text.replace(/e.*$/, '');
  const decimals = (mantissa.split('.')[1]?.length ?? 0) + (exp ? Number(exp[1]) : 0);
  return Math.min(6, decimals);
}

const tickFormats = new Map<number, Intl.NumberFormat>();

/** Value-axis labels: as many decimals as the step needs, so neighbours never read the same. */
export function valueTicks(splits: readonly number[], step: number): string[] {
  const d = stepDecimals(step);
  let f = tickFormats.get(d);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { minimumFractionDigits: d, maximumFractionDigits: d });
    tickFormats.set(d, f);
  }
  const format = f;
  return splits.map((v) => format.format(v));
}

/** A value with its unit as the dialog shows it ("21.4 °C", "1,850 W", "12.5 kW"). */
export function valueText(v: number, unit: string, deviceClass: string): string {
  const f = formatNumber(v, unit, deviceClass);
  return `${f.value} ${f.unit}`.trim();
}
