/**
 * Checked reads of request values (query parameters, JSON fields). Each failure is a 400
 * whose message names the parameter and the bad value.
 */
import { badRequest } from './http-error.js';

export function quote(value: unknown): string {
  const text =
    typeof value === 'string' ? value : value === undefined ? 'undefined' : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** An integer query parameter within [min, max], or `fallback` when absent. */
export function integerParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  if (!/^-?\d+$/.test(text)) throw badRequest(`${name}=${quote(text)} is not an integer`);
  const n = Number(text);
  if (n < min || n > max) {
    throw badRequest(`${name}=${quote(text)} is not between ${min} and ${max}`);
  }
  return n;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const what = body === undefined ? 'no body' : quote(body);
    throw badRequest(`the body must be a JSON object, not ${what}`);
  }
  return body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') {
    throw badRequest(`${name} must be a non-empty string, not ${quote(v ?? null)}`);
  }
  return v;
}

export function optionalIntegerField(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`${name} must be an integer between ${min} and ${max}, not ${quote(v)}`);
  }
  return v;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`${name} must be true or false, not ${quote(v)}`);
  return v;
}

export function stringListField(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  if (!Array.isArray(v) || v.length === 0 || !v.every((t) => typeof t === 'string' && t !== '')) {
    throw badRequest(`${name} must be a non-empty list of names, not ${quote(v ?? null)}`);
  }
  return v as string[];
}

export function stringMapField(
  body: Record<string, unknown>,
  name: string,
): Record<string, string> {
  const v = body[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`${name} must be an object of strings, not ${quote(v)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') {
      throw badRequest(`${name}.${k} must be a string, not ${quote(value)}`);
    }
    out[k] = value;
  }
  return out;
}
