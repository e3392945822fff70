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
