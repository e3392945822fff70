/**
 * The handlers the edge serves, by API key. ApiVersions is built from this registry, so
 * what is advertised is exactly what has a handler.
 */
import type { KafkaHandler } from './kafka-handler.js';

export class HandlerRegistry {
  private readonly byKey = new Map<number, KafkaHandler>();

  register(handler: KafkaHandler): void {
    const { api, minVersion, maxVersion } = handler;
    if (this.byKey.has(api.apiKey)) throw new Error(`two handlers for ${api.name}`);
    if (minVersion < api.minVersion || maxVersion > api.maxVersion || minVersion > maxVersion) {
      throw new Error(
        `${api.name} handler versions ${minVersion}-${maxVersion} outside the codec's ${api.minVersion}-${api.maxVersion}`,
      );
    }
    this.byKey.set(api.apiKey, handler);
  }

  get(apiKey: number): KafkaHandler | undefined {
    return this.byKey.get(apiKey);
  }

  /** Every handler, by API key. */
  all(): KafkaHandler[] {
    return [...this.byKey.values()].sort((a, b) => a.api.apiKey - b.api.apiKey);
  }
}
