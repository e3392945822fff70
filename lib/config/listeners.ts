/**
 * The edge's Kafka listeners, as Kafka names them: `KAFSCALE_LISTENERS` is a comma-separated
 * list of `NAME://host:port` (Kafka's `listeners`), each name mapped to a security protocol
 * by `KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP` (Kafka's `listener.security.protocol.map`;
 * by default the four protocol names map to themselves), and `KAFSCALE_ADVERTISED_LISTENERS`
 * gives the address clients are told for some of them (Kafka's `advertised.listeners`).
 */
import { ConfigError } from './config-error.js';
import { parseHostPort, type HostPort } from './parsers.js';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface ListenerConfig {
  /** The listener name (upper case), as in `INTERNAL://...` or `SASL_SSL://...`. */
  readonly name: string;
  readonly protocol: SecurityProtocol;
  readonly listen: HostPort;
  /** The address Metadata gives clients of this listener, when configured. */
  readonly advertised: HostPort | undefined;
}

export const usesTls = (p: SecurityProtocol): boolean => p === 'SSL' || p === 'SASL_SSL';
export const usesSasl = (p: SecurityProtocol): boolean =>
  p === 'SASL_PLAINTEXT' || p === 'SASL_SSL';

const NAME = /^[A-Z][A-Z0-9_]{0,31}$/;

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** `NAME://host:port,...` into (name, address) pairs; names unique. */
export function parseNamedAddresses(variable: string, text: string): Map<string, HostPort> {
  const out = new Map<string, HostPort>();
  const parts = splitList(text);
  if (parts.length === 0) throw new ConfigError(variable, text, 'expected NAME://host:port');
  for (const part of parts) {
    const m = /^([^:/]+):\/\/(.*)$/.exec(part);
    const name = m?.[1]?.toUpperCase();
    if (m === null || name === undefined || !NAME.test(name))
      throw new ConfigError(variable, text, `expected NAME://host:port, got ${part}`);
    if (out.has(name)) throw new ConfigError(variable, text, `listener ${name} named twice`);
    out.set(name, parseHostPort(variable, m[2] ?? ''));
  }
  return out;
}

/** `NAME:PROTOCOL,...`; the four protocol names always map to themselves unless remapped. */
export function parseProtocolMap(
  variable: string,
  text: string | undefined,
): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>(SECURITY_PROTOCOLS.map((p) => [p, p]));
  if (text === undefined) return map;
  for (const part of splitList(text)) {
    const [name = '', protocol = ''] = part.split(':').map((s) => s.trim().toUpperCase());
    const known = SECURITY_PROTOCOLS.find((p) => p === protocol);
    if (!NAME.test(name) || known === undefined)
      throw new ConfigError(
        variable,
        text,
        `expected NAME:PROTOCOL with PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`,
      );
    map.set(name, known);
  }
  return map;
}

export interface ListenerSettings {
  readonly listeners: string | undefined;
  readonly advertisedListeners: string | undefined;
  readonly protocolMap: string | undefined;
  /** KAFSCALE_EDGE_ADDR, the single PLAINTEXT listener when KAFSCALE_LISTENERS is unset. */
  readonly edgeAddr: string | undefined;
  /** KAFSCALE_ADVERTISED_ADDR: the first listener's advertised address. */
  readonly advertisedAddr: HostPort | undefined;
}

export function parseListeners(s: ListenerSettings): ListenerConfig[] {
  if (s.listeners === undefined) {
    if (s.advertisedListeners !== undefined)
      throw new ConfigError(
        'KAFSCALE_ADVERTISED_LISTENERS',
        s.advertisedListeners,
        'needs KAFSCALE_LISTENERS',
      );
    return [
      {
        name: 'PLAINTEXT',
        protocol: 'PLAINTEXT',
        listen: parseHostPort('KAFSCALE_EDGE_ADDR', s.edgeAddr ?? '0.0.0.0:9092'),
        advertised: s.advertisedAddr,
      },
    ];
  }
  if (s.edgeAddr !== undefined)
    throw new ConfigError(
      'KAFSCALE_EDGE_ADDR',
      s.edgeAddr,
      'set KAFSCALE_LISTENERS or KAFSCALE_EDGE_ADDR, not both',
    );
  if (s.advertisedAddr !== undefined && s.advertisedListeners !== undefined)
    throw new ConfigError(
      'KAFSCALE_ADVERTISED_ADDR',
      `${s.advertisedAddr.host}:${s.advertisedAddr.port}`,
      'set KAFSCALE_ADVERTISED_LISTENERS or KAFSCALE_ADVERTISED_ADDR, not both',
    );
  const protocols = parseProtocolMap('KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP', s.protocolMap);
  const listen = parseNamedAddresses('KAFSCALE_LISTENERS', s.listeners);
  const advertised =
    s.advertisedListeners === undefined
      ? new Map<string, HostPort>()
      : parseNamedAddresses('KAFSCALE_ADVERTISED_LISTENERS', s.advertisedListeners);
  for (const name of advertised.keys())
    if (!listen.has(name))
      throw new ConfigError(
        'KAFSCALE_ADVERTISED_LISTENERS',
        s.advertisedListeners ?? '',
        `${name} is not in KAFSCALE_LISTENERS`,
      );
  const ports = new Set<string>();
  return [...listen].map(([name, address], i) => {
    const protocol = protocols.get(name);
    if (protocol === undefined)
      throw new ConfigError(
        'KAFSCALE_LISTENERS',
        s.listeners ?? '',
        `listener ${name} has no security protocol (KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP)`,
      );
    const bind = `${address.host}:${address.port}`;
    if (address.port !== 0 && ports.has(bind))
      throw new ConfigError('KAFSCALE_LISTENERS', s.listeners ?? '', `two listeners on ${bind}`);
    ports.add(bind);
    return {
      name,
      protocol,
      listen: address,
      advertised: advertised.get(name) ?? (i === 0 ? s.advertisedAddr : undefined),
    };
  });
}
