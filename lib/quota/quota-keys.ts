/**
 * The client quota keys Kafscale enforces, and Kafka's rules for their values
 * (QuotaConfigs): the byte rates are whole bytes per second, request_percentage a
 * percentage of one request thread's time (it may exceed 100). Kafscale also refuses a
 * value that is not above zero: a zero or negative rate would stop a client for good.
 */
export const PRODUCER_BYTE_RATE = 'producer_byte_rate';
export const CONSUMER_BYTE_RATE = 'consumer_byte_rate';
export const REQUEST_PERCENTAGE = 'request_percentage';

export const QUOTA_KEYS: readonly string[] = [
  PRODUCER_BYTE_RATE,
  CONSUMER_BYTE_RATE,
  REQUEST_PERCENTAGE,
];

/** Why `value` is not a valid value of `key`, or undefined when it is. */
export function quotaValueProblem(key: string, value: number): string | undefined {
  if (!QUOTA_KEYS.includes(key))
    return `Invalid configuration key ${key}: Kafscale supports ${QUOTA_KEYS.join(', ')}`;
  if (!Number.isFinite(value) || value <= 0)
    return `Configuration ${key} must be a positive number, not ${value}`;
  if (key !== REQUEST_PERCENTAGE && !Number.isSafeInteger(value))
    return `Configuration ${key} must be a Long value, not ${value}`;
  return undefined;
}
