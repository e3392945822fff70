/** Parsers for environment values; each throws ConfigError naming the variable and value. */
import { ConfigError } from './config-error.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export function parsePort(variable: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(variable, text, 'not a port number');
  const port = Number(text);
  if (port > 65535) throw new ConfigError(variable, text, 'port above 65535');
  return port;
}

/** host:port, with [v6]:port accepted. */
export function parseHostPort(variable: string, text: string): HostPort {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d+)$/.exec(text.trim());
  if (!m) throw new ConfigError(variable, text, 'expected host:port');
  const [, rawHost = '', port = ''] = m;
  if (Number(port) > 65535) throw new ConfigError(variable, text, 'port above 65535');
  return { host: rawHost.replace(/^\[(.*)\]$/, '$1'), port: Number(port) };
}

export function parseInteger(
  variable: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(variable, text, 'not an integer');
  const n = Number(text.trim());
  if (n < min || n > max)
    throw new ConfigError(variable, text, `must be between ${min} and ${max}`);
  return n;
}

export function parseBoolean(variable: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  throw new ConfigError(variable, text, 'expected true/false (or 1/0)');
}

export function parseChoice<T extends string>(
  variable: string,
  text: string,
  choices: readonly T[],
): T {
  const t = text.trim().toLowerCase();
  const found = choices.find((c) => c === t);
  if (found === undefined)
    throw new ConfigError(variable, text, `expected one of ${choices.join(', ')}`);
  return found;
}

/** An http(s) URL; anything else names the variable and value. */
export function parseUrl(variable: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(variable, text, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, text, 'expected an http:// or https:// URL');
  }
  return url.toString().replace(/\/$/, '');
}

/**
 * The base URL of a gRPC service: `http://host:port`, or just `host:port` (as the `kafscale`
 * CLI takes KAFSCALE_CONTROLPLANE_URL). Gives `http://host:port` without a path.
 */
export function parseServiceUrl(variable: string, text: string): string {
  const t = text.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(t);
  let url: URL;
  try {
    url = new URL(hasScheme ? t : `http://${t}`);
  } catch {
    throw new ConfigError(variable, text, 'expected http://host:port or host:port');
  }
  if (url.protocol !== 'http:') {
    throw new ConfigError(variable, text, 'expected http:// (gRPC over HTTP/2 without TLS)');
  }
  if (!hasScheme && url.port === '') throw new ConfigError(variable, text, 'needs a port');
  return `http://${url.host}`;
}

/** A comma-separated list of URLs (etcd endpoints). */
export function parseUrlList(variable: string, text: string): string[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ConfigError(variable, text, 'expected at least one URL');
  return parts.map((p) => parseUrl(variable, p));
}

/** An identifier usable in keys and object names: letters, digits, '.', '_' and '-'. */
export function parseId(variable: string, text: string): string {
  const t = text.trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(t)) {
    throw new ConfigError(variable, text, "expected 1-64 of letters, digits, '.', '_' or '-'");
  }
  return t;
}
