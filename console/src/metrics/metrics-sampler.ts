/**
 * The console's view of the broker metrics: it scrapes every configured endpoint at most
 * once a second (concurrent page requests share a scrape) and keeps the readings of the
 * last WINDOW_MS, so that latencies can be given over the recent window rather than since
 * each process started.
 */
import type { Sample } from './prometheus-text.js';
import { scrapeSource, type SourceReading } from './scrape-source.js';

export interface MetricsReading {
  /** When it was taken (ms since the epoch). */
  readonly at: number;
  readonly sources: readonly SourceReading[];
  /** The samples of every source that answered. */
  readonly samples: readonly Sample[];
  /** Counter families some source declared, with or without samples. */
  readonly counters: ReadonlySet<string>;
}

export interface MetricsWindow {
  readonly current: MetricsReading;
  /** The oldest reading of the window, when there is one older than the current. */
  readonly baseline: MetricsReading | undefined;
}

export interface MetricsSamplerOptions {
  readonly urls: readonly string[];
  readonly scrapeTimeoutMs?: number;
  readonly windowMs?: number;
  /** Scrapes closer together than this share one reading. */
  readonly minIntervalMs?: number;
  readonly now?: () => number;
  readonly scrape?: (url: string, timeoutMs: number) => Promise<SourceReading>;
}

export const WINDOW_MS = 60_000;

export class MetricsSampler {
  private readonly history: MetricsReading[] = [];
  private inFlight: Promise<MetricsReading> | undefined;

  constructor(private readonly options: MetricsSamplerOptions) {}

  get configured(): boolean {
    return this.options.urls.length > 0;
  }

  get urls(): readonly string[] {
    return this.options.urls;
  }

  async read(): Promise<MetricsWindow> {
    const now = this.now();
    const latest = this.history[this.history.length - 1];
    const current =
      latest !== undefined && now - latest.at < (this.options.minIntervalMs ?? 1_000)
        ? latest
        : await this.scrapeOnce();
    const windowMs = this.options.windowMs ?? WINDOW_MS;
    while (this.history.length > 1 && (this.history[0]?.at ?? now) < current.at - windowMs) {
      this.history.shift();
    }
    const oldest = this.history[0];
    return { current, baseline: oldest !== undefined && oldest !== current ? oldest : undefined };
  }

  private scrapeOnce(): Promise<MetricsReading> {
    this.inFlight ??= this.scrapeAll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async scrapeAll(): Promise<MetricsReading> {
    const timeout = this.options.scrapeTimeoutMs ?? 2_000;
    const scrape = this.options.scrape ?? scrapeSource;
    const sources = await Promise.all(this.options.urls.map((url) => scrape(url, timeout)));
    const reading: MetricsReading = {
      at: this.now(),
      sources,
      samples: sources.flatMap((s) => s.samples),
      counters: new Set(sources.flatMap((s) => s.counters)),
    };
    // A reading where a source failed would make deltas against it wrong: keep it out of
    // the window's history (it is still the current reading).
    if (sources.every((s) => s.ok)) this.history.push(reading);
    return reading;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
