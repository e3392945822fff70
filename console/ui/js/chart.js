// Small SVG charts drawn here, no library: a time series line chart and a bar chart.
import { h } from './dom.js';

const W = 800;
const H = 240;
const PAD = { left: 64, right: 12, top: 12, bottom: 26 };

/** A round upper bound for the y axis: 1, 2 or 5 times a power of ten. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * series: [{ label, cls: 'series-1', points: [{ t: ms, v: number|null }] }]; a null value
 * breaks the line (the figure was unavailable then). `format` writes the y labels.
 */
export function lineChart(series, { format = String, spanMs = 5 * 60_000, now = Date.now() } = {}) {
  const start = now - spanMs;
  const values = series.flatMap((s) => s.points.filter((p) => p.t >= start).map((p) => p.v));
  const known = values.filter((v) => v !== null && v !== undefined);
  const top = niceMax(Math.max(0, ...known));
  const x = (t) => PAD.left + ((t - start) / spanMs) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    h(
      'g',
      {},
      h('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(f * top), y2: y(f * top) }),
      h('text', { x: PAD.left - 6, y: y(f * top) + 4, 'text-anchor': 'end' }, format(f * top)),
    ),
  );
  const lines = series.flatMap((s) => {
    const runs = [];
    let run = [];
    for (const p of s.points) {
      if (p.t < start) continue;
      if (p.v === null || p.v === undefined) {
        if (run.length > 0) runs.push(run);
        run = [];
      } else run.push(`${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
    }
    if (run.length > 0) runs.push(run);
    return runs.map((r) => h('polyline', { class: s.cls, points: r.join(' ') }));
  });
  const minutes = Math.round(spanMs / 60_000);
  return h(
    'div',
    { class: 'chart' },
    h(
      'div',
      { class: 'legend' },
      series.map((s) => h('span', {}, h('span', { class: `swatch ${s.cls}` }), s.label)),
    ),
    h(
      'svg',
      {
        viewBox: `0 0 ${W} ${H}`,
        role: 'img',
        'aria-label': series.map((s) => s.label).join(', '),
      },
      grid,
      lines,
      h('text', { x: PAD.left, y: H - 6 }, `${minutes} min ago`),
      h('text', { x: W - PAD.right, y: H - 6, 'text-anchor': 'end' }, 'now'),
    ),
  );
}

/** bars: [{ label, value }] drawn left to right; null values are left out. */
export function barChart(bars, { format = String } = {}) {
  const shown = bars.filter((b) => b.value !== null && b.value !== undefined);
  const top = niceMax(Math.max(0, ...shown.map((b) => Number(b.value))));
  const width = (W - PAD.left - PAD.right) / Math.max(1, shown.length);
  const y = (v) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  return h(
    'div',
    { class: 'chart' },
    h(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'bar chart' },
      [0, 0.5, 1].map((f) =>
        h(
          'g',
          {},
          h('line', {
            class: 'axis',
            x1: PAD.left,
            x2: W - PAD.right,
            y1: y(f * top),
            y2: y(f * top),
          }),
          h('text', { x: PAD.left - 6, y: y(f * top) + 4, 'text-anchor': 'end' }, format(f * top)),
        ),
      ),
      shown.map((b, i) =>
        h(
          'rect',
          {
            class: 'bar',
            x: PAD.left + i * width + width * 0.1,
            y: y(Number(b.value)),
            width: width * 0.8,
            height: Math.max(0, H - PAD.bottom - y(Number(b.value))),
          },
          h('title', {}, `${b.label}: ${format(Number(b.value))}`),
        ),
      ),
      shown.length <= 24
        ? shown.map((b, i) =>
            h(
              'text',
              { x: PAD.left + (i + 0.5) * width, y: H - 8, 'text-anchor': 'middle' },
              b.label,
            ),
          )
        : null,
    ),
  );
}
