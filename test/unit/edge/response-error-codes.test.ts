import { describe, expect, it } from 'vitest';
import { responseErrorCodes } from '../../../edge/src/response-error-codes.js';

describe('responseErrorCodes', () => {
  it('finds every non-zero errorCode at any depth, once each', () => {
    const response = {
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [
        { name: 'a', errorCode: 3, partitions: [{ errorCode: 6 }, { errorCode: 0 }] },
        { name: 'b', errorCode: 0, partitions: [{ errorCode: 6 }] },
      ],
      groups: [{ groupId: 'g', errorCode: 16 }],
    };
    expect(responseErrorCodes(response).sort((x, y) => x - y)).toEqual([3, 6, 6, 16]);
  });

  it('finds a top-level error and none in a clean response', () => {
    expect(responseErrorCodes({ errorCode: 35, apiKeys: [] })).toEqual([35]);
    expect(responseErrorCodes({ errorCode: 0, brokers: [{ nodeId: 1 }] })).toEqual([]);
  });

  it('does not walk bytes or other values', () => {
    const records = new Uint8Array([1, 2, 3]);
    expect(
      responseErrorCodes({ partitions: [{ errorCode: 1, records, offset: 5n, name: null }] }),
    ).toEqual([1]);
    expect(responseErrorCodes(null)).toEqual([]);
    expect(responseErrorCodes('errorCode')).toEqual([]);
  });
});
