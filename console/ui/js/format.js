// How figures are written. null or undefined is a figure the console cannot get: it is
// shown as "unavailable", never as 0.
import { h } from './dom.js';

export function unavailable(reason) {
  return h('span', { class: 'unavailable', title: reason ?? 'not reported' }, 'unavailable');
}

export function isKnown(v) {
  return v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v));
}

/** An integer with thousands separators (int64 values may arrive as decimal strings). */
export function int(v, reason) {
  if (!isKnown(v)) return unavailable(reason);
  if (typeof v === 'string') return v.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return Math.round(v).toLocaleString('en-US');
}

/** A rate with one decimal under 100, none above. */
export function rate(v, reason) {
  if (!isKnown(v)) return unavailable(reason);
  return v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US');
}

export function bytes(v, reason) {
  if (!isKnown(v)) return unavailable(reason);
  const n = Number(v);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let x = n;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${x.toFixed(1)} ${units[u]}`;
}

/** Seconds as ms (or s above 10 s). */
export function seconds(v, reason) {
  if (!isKnown(v)) return unavailable(reason);
  if (v >= 10) return `${v.toFixed(1)} s`;
  const ms = v * 1000;
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

export function since(ms) {
  if (!isKnown(ms) || Number(ms) <= 0) return unavailable('not reported');
  const s = Math.max(0, Math.round((Date.now() - Number(ms)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** A chart's axis label for a count: whole numbers as such, fractions with one decimal. */
export function count(v) {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1);
}

export function orDash(v) {
  return v === null || v === undefined || v === '' ? '—' : v;
}
