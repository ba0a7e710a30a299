// Latency vs offered load as a hand-written SVG line chart: p50 solid, p99 dashed, one colour
// per system, both axes logarithmic. A hollow marker is a point where readings were lost.
const COLOURS = { bridge: "#1f6fb4", "node-red": "#c8322c", "mosquitto-ws": "#2b9a3e", mosquitto: "#777777" };
const W = 900;
const H = 520;
const M = { left: 80, right: 190, top: 50, bottom: 60 };

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function formatUs(us) {
  if (us >= 1e6) return `${us / 1e6} s`;
  if (us >= 1e3) return `${us / 1e3} ms`;
  return `${us} µs`;
}

function formatRate(rate) {
  return rate >= 1000 ? `${rate / 1000}k` : String(rate);
}

function logScale(min, max, from, to) {
  const a = Math.log10(min);
  const b = Math.log10(max);
  return (v) => from + ((Math.log10(v) - a) / (b - a || 1)) * (to - from);
}

// runs: latency records ({system, offered_rate, latency_us:{p50,p99}, lost, expected}).
export function latencyChart(runs, { title }) {
  const points = runs.filter((r) => r.latency_us && r.latency_us.p50 > 0 && r.latency_us.p99 > 0);
  if (points.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80"><text x="10" y="40">no latency figures</text></svg>\n`;
  }
  const rates = [...new Set(points.map((p) => p.offered_rate))].sort((a, b) => a - b);
  const values = points.flatMap((p) => [p.latency_us.p50, p.latency_us.p99]);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const xMin = rates[0] / 1.25;
  const xMax = rates[rates.length - 1] * 1.25;
  const x = logScale(xMin, xMax, M.left, W - M.right);
  const y = logScale(yMin, yMax, H - M.bottom, M.top);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2 - M.right / 2}" y="24" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  // Grid and y ticks at 1, 2, 5 × 10^k.
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = decade * m;
      if (v > yMax) break;
      const yy = y(v).toFixed(1);
      out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="${m === 1 ? "#ccc" : "#eee"}"/>`);
      out.push(`<text x="${M.left - 6}" y="${yy}" dy="4" text-anchor="end">${esc(formatUs(v))}</text>`);
    }
  }
  for (const rate of rates) {
    const xx = x(rate).toFixed(1);
    out.push(`<line x1="${xx}" x2="${xx}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${xx}" y="${H - M.bottom + 18}" text-anchor="middle">${formatRate(rate)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 15}" text-anchor="middle">offered load (readings/s, log scale)</text>`);
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">latency, publish to receipt (log scale)</text>`);
  const systems = [...new Set(points.map((p) => p.system))];
  systems.forEach((system, i) => {
    const colour = COLOURS[system] ?? "#000";
    const own = points.filter((p) => p.system === system).sort((a, b) => a.offered_rate - b.offered_rate);
    for (const [key, dash] of [["p50", ""], ["p99", ' stroke-dasharray="6 4"']]) {
      const path = own.map((p, j) => `${j ? "L" : "M"}${x(p.offered_rate).toFixed(1)} ${y(p.latency_us[key]).toFixed(1)}`).join(" ");
      out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
      for (const p of own) {
        const lossy = p.lost > 0 && p.expected > 0 && p.lost / p.expected > 0.001;
        out.push(`<circle cx="${x(p.offered_rate).toFixed(1)}" cy="${y(p.latency_us[key]).toFixed(1)}" r="3.5" fill="${lossy ? "white" : colour}" stroke="${colour}"/>`);
      }
    }
    const ly = M.top + 10 + i * 22;
    const lx = W - M.right + 15;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 32}" y="${ly}" dy="4">${esc(system)}</text>`);
  });
  const ly = M.top + 20 + systems.length * 22;
  const lx = W - M.right + 15;
  out.push(`<text x="${lx}" y="${ly}">solid: p50, dashed: p99</text>`);
  out.push(`<text x="${lx}" y="${ly + 18}">hollow: readings lost</text>`);
  out.push(`<text x="${lx}" y="${ly + 36}">(&gt; 0.1 % of expected)</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
