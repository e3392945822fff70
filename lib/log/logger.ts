/** The root pino logger of a process; modules take children of it, never create their own. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

export type { Logger };

export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ level, base: { service } });
}
