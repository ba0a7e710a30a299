// Pure helpers: merging receiver results, percentiles from the tools' histograms, medians.

// [[upper_us, count], ...] lists summed bucket by bucket, ascending.
export function mergeHistograms(histograms) {
  const sum = new Map();
  for (const histogram of histograms) {
    for (const [upper, count] of histogram ?? []) sum.set(upper, (sum.get(upper) ?? 0) + count);
  }
  return [...sum.entries()].sort((a, b) => a[0] - b[0]);
}

// The smallest bucket upper bound covering fraction q of the samples (the tools' definition).
export function percentile(histogram, q) {
  const total = histogram.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [upper, count] of histogram) {
    seen += count;
    if (seen >= rank) return upper;
  }
  return histogram[histogram.length - 1][0];
}

// One receiver result out of several (one sb-bench-mqtt sub per MQTT client, say): counts
// add up, latency comes from the merged histogram, seconds is the longest receiver's.
export function mergeReceivers(results) {
  if (results.length === 1) return results[0];
  const histogram = mergeHistograms(results.map((r) => r.histogram));
  const sumOf = (key) => results.reduce((n, r) => n + (r[key] ?? 0), 0);
  const readings = sumOf("readings");
  const seconds = Math.max(...results.map((r) => r.seconds ?? 0));
  const weightedMean = results.reduce((n, r) => n + (r.latency_us?.mean ?? 0) * (r.readings ?? 0), 0);
  return {
    tool: results[0].tool,
    clients: results.length,
    readings,
    stale: sumOf("stale"),
    seconds,
    rate: seconds > 0 ? readings / seconds : 0,
    latency_us: {
      p50: percentile(histogram, 0.5),
      p90: percentile(histogram, 0.9),
      p99: percentile(histogram, 0.99),
      p999: percentile(histogram, 0.999),
      max: Math.max(...results.map((r) => r.latency_us?.max ?? 0)),
      mean: readings > 0 ? weightedMean / readings : null,
    },
    histogram,
  };
}

export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// The run, out of several repeats, whose figure `key` is the median one.
export function medianRun(runs, key) {
  const ok = runs.filter((r) => !r.error && r[key] !== null && r[key] !== undefined);
  if (ok.length === 0) return runs[runs.length - 1];
  const sorted = [...ok].sort((a, b) => a[key] - b[key]);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export const round = (value, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));
