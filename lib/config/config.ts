/**
 * The configuration of every Kafscale process, read once from the environment at start-up,
 * validated and frozen. No other module reads process.env. Each variable is documented in
 * docs/configuration.md.
 */
import { parseChoice, parseHostPort, parseInteger, type HostPort } from './parsers.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface KafscaleConfig {
  /** Kafka listener (KAFSCALE_EDGE_ADDR). */
  readonly edgeAddr: HostPort;
  /** Address given to clients in Metadata (KAFSCALE_ADVERTISED_ADDR); defaults from edgeAddr. */
  readonly advertisedAddr: HostPort;
  readonly logLevel: LogLevel;
  /** Largest request frame accepted (KAFSCALE_MAX_REQUEST_BYTES). */
  readonly maxRequestBytes: number;
  /** Request bytes one connection may have in flight before reads pause (KAFSCALE_CONNECTION_INFLIGHT_BYTES). */
  readonly connectionInflightBytes: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

function advertisedDefault(listen: HostPort): HostPort {
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  return { host: wildcard ? '127.0.0.1' : listen.host, port: listen.port };
}

export function loadConfig(env: Env): KafscaleConfig {
  const edgeAddr = parseHostPort(
    'KAFSCALE_EDGE_ADDR',
    read(env, 'KAFSCALE_EDGE_ADDR') ?? '0.0.0.0:9092',
  );
  const advertised = read(env, 'KAFSCALE_ADVERTISED_ADDR');
  const config: KafscaleConfig = {
    edgeAddr,
    advertisedAddr:
      advertised === undefined
        ? advertisedDefault(edgeAddr)
        : parseHostPort('KAFSCALE_ADVERTISED_ADDR', advertised),
    logLevel: parseChoice(
      'KAFSCALE_LOG_LEVEL',
      read(env, 'KAFSCALE_LOG_LEVEL') ?? 'warn',
      LOG_LEVELS,
    ),
    maxRequestBytes: parseInteger(
      'KAFSCALE_MAX_REQUEST_BYTES',
      read(env, 'KAFSCALE_MAX_REQUEST_BYTES') ?? '104857600',
      1024,
      2 ** 31 - 1,
    ),
    connectionInflightBytes: parseInteger(
      'KAFSCALE_CONNECTION_INFLIGHT_BYTES',
      read(env, 'KAFSCALE_CONNECTION_INFLIGHT_BYTES') ?? '67108864',
      1024,
      2 ** 40,
    ),
  };
  return Object.freeze(config);
}
