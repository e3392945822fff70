/**
 * The Kafka error codes a response carries: every non-zero `errorCode` field at any depth
 * (top level, per topic, per partition, per group...), once each. Records and other bytes
 * are not walked.
 */
export function responseErrorCodes(response: unknown): number[] {
  const codes: number[] = [];
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return;
    if (Array.isArray(value)) {
      for (const v of value as unknown[]) walk(v);
      return;
    }
    for (const [field, v] of Object.entries(value)) {
      if (field === 'errorCode') {
        if (typeof v === 'number' && v !== 0) codes.push(v);
      } else {
        walk(v);
      }
    }
  };
  walk(response);
  return codes;
}
