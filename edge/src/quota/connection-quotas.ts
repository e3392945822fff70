/**
 * One connection's view of the edge's client quotas: the rates its user and client id share,
 * looked up once and kept until the quotas, the user or the client id change (a client id is
 * per request in Kafka, though clients send the same one on every request). `throttleMs`
 * records a finished request and returns how long the client must wait, the longest of the
 * quotas it exceeded, as Kafka answers with the larger of its bandwidth and request throttles.
 */
import type { ClientQuotas, QuotaKind, QuotaRate } from './client-quotas.js';

/** Kafka's quota user: the principal's name, without the `User:` type. */
export function quotaUser(principal: string): string {
  return principal.startsWith('User:') ? principal.slice(5) : principal;
}

export class ConnectionQuotas {
  private generation = -1;
  private principal = '';
  private clientId = '';
  private produce: QuotaRate | undefined;
  private fetch: QuotaRate | undefined;
  private request: QuotaRate | undefined;

  constructor(private readonly quotas: ClientQuotas) {}

  private refresh(principal: string, clientId: string, now: number): void {
    if (
      this.generation === this.quotas.generation &&
      this.principal === principal &&
      this.clientId === clientId
    )
      return;
    const user = quotaUser(principal);
    this.principal = principal;
    this.clientId = clientId;
    this.produce = this.quotas.rateFor('produce', user, clientId, now);
    this.fetch = this.quotas.rateFor('fetch', user, clientId, now);
    this.request = this.quotas.rateFor('request', user, clientId, now);
    this.generation = this.quotas.generation;
  }

  private rate(kind: QuotaKind): QuotaRate | undefined {
    return kind === 'produce' ? this.produce : kind === 'fetch' ? this.fetch : this.request;
  }

  /**
   * Records a request of `principal` (e.g. `User:alice`) at `now`: `produceBytes` (0 unless Produce), `fetchBytes` (0 unless
   * Fetch) and `handlerMs`, the time it was handled (undefined for requests Kafka exempts
   * from the request quota). Returns the throttle time in ms, 0 when within every quota.
   */
  throttleMs(
    principal: string,
    clientId: string,
    produceBytes: number,
    fetchBytes: number,
    handlerMs: number | undefined,
    now: number,
  ): number {
    if (!this.quotas.anyQuota) return 0;
    this.refresh(principal, clientId, now);
    let ms = 0;
    if (produceBytes > 0 && this.produce !== undefined)
      ms = this.quotas.record('produce', this.produce, produceBytes, now);
    if (fetchBytes > 0 && this.fetch !== undefined)
      ms = Math.max(ms, this.quotas.record('fetch', this.fetch, fetchBytes, now));
    // request_percentage is a percentage of one thread's time: 1 ms of handling is 0.1% of
    // a second, so the rate in "percent" is (ms per second) / 10.
    if (handlerMs !== undefined && this.request !== undefined)
      ms = Math.max(ms, this.quotas.record('request', this.request, handlerMs / 10, now));
    return ms;
  }

  /** Takes back fetch bytes recorded by `throttleMs` (a throttled fetch sends no records). */
  unrecordFetch(fetchBytes: number, now: number): void {
    const r = this.rate('fetch');
    if (r !== undefined) this.quotas.unrecord(r, fetchBytes, now);
  }
}
