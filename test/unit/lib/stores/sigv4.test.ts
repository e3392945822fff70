import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, encodeS3Path, SigV4Signer } from '../../../../lib/stores/s3/sigv4.js';

describe('SigV4 for S3', () => {
  it("signs AWS's documented GetObject example (examplebucket, test.txt, Range bytes=0-9)", () => {
    const headers = new SigV4Signer('us-east-1').sign(
      {
        method: 'GET',
        path: '/test.txt',
        query: '',
        headers: { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9' },
        payloadHash: EMPTY_SHA256,
      },
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
  });

  it('signs the session token and uses a new signing key for a new secret', () => {
    const signer = new SigV4Signer('eu-west-1');
    const request = {
      method: 'PUT',
      path: '/b/k',
      query: '',
      headers: { host: 'h' },
      payloadHash: 'UNSIGNED-PAYLOAD',
    };
    const at = new Date('2026-11-26T10:00:00Z');
    const a = signer.sign(
      request,
      { accessKeyId: 'A', secretAccessKey: 's1', sessionToken: 't' },
      at,
    );
    expect(a['x-amz-security-token']).toBe('t');
    expect(a.authorization).toContain(
      'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token',
    );
    const b = signer.sign(request, { accessKeyId: 'A', secretAccessKey: 's2' }, at);
    expect(b.authorization).not.toBe(a.authorization);
    expect(signer.sign(request, { accessKeyId: 'A', secretAccessKey: 's2' }, at)).toEqual(b);
  });

  it('encodes key segments as RFC 3986 wants, keeping slashes', () => {
    expect(encodeS3Path("data/n 1/a+b=c!'()*~._-")).toBe('data/n%201/a%2Bb%3Dc%21%27%28%29%2A~._-');
  });
});
