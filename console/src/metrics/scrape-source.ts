/**
 * Reads one Prometheus endpoint over HTTP: a bounded wait, a bounded body, and a failure
 * reported as a reason (the console shows it) instead of thrown.
 */
import { parsePrometheusText, type Sample } from './prometheus-text.js';

export interface SourceReading {
  readonly url: string;
  readonly ok: boolean;
  /** Why the endpoint could not be read (when not ok). */
  readonly error: string | undefined;
  readonly samples: readonly Sample[];
  /** The counter families its exposition declares (`# TYPE name counter`). */
  readonly counters: readonly string[];
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The URL that is scraped: a URL without a path means its `/metrics`. */
export function scrapeUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/metrics';
  return u.toString();
}

export async function scrapeSource(url: string, timeoutMs: number): Promise<SourceReading> {
  const failed = (error: string): SourceReading => ({
    url,
    ok: false,
    error,
    samples: [],
    counters: [],
  });
  let response: Response;
  try {
    response = await fetch(scrapeUrl(url), {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { Accept: 'text/plain' },
    });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return failed(`${e instanceof Error ? e.message : String(e)}${cause}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return failed(`HTTP ${response.status}`);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) {
    await response.body?.cancel();
    return failed(`the exposition is ${length} bytes, more than ${MAX_BODY_BYTES}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    return failed(e instanceof Error ? e.message : String(e));
  }
  const parsed = parsePrometheusText(text);
  const counters = [...parsed.types].filter(([, type]) => type === 'counter').map(([name]) => name);
  return { url, ok: true, error: undefined, samples: parsed.samples, counters };
}
