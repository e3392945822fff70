/**
 * How long a client over its quota waits, as Kafka computes it (QuotaUtils.throttleTime):
 * the time after which the measured rate is back at the bound if the client sends nothing
 * more, `(rate - bound) / bound × window`. As in Kafka it is not capped: a request far
 * larger than the quota allows waits as long as it takes to pay for it.
 */
export function throttleTimeMs(
  ratePerSecond: number,
  boundPerSecond: number,
  windowSizeMs: number,
): number {
  if (!(ratePerSecond > boundPerSecond) || !(boundPerSecond > 0)) return 0;
  return Math.round(((ratePerSecond - boundPerSecond) / boundPerSecond) * windowSizeMs);
}
