import { describe, expect, it } from 'vitest';
import { checkAdminToken, requireAdminToken } from '../../../../console/src/api/admin-token.js';
import { HttpError } from '../../../../console/src/http/http-error.js';

const TOKEN = 'an-admin-token-of-some-length';

describe('checkAdminToken', () => {
  it('refuses everything when no token is configured', () => {
    expect(checkAdminToken(undefined, `Bearer ${TOKEN}`)).toBe('disabled');
    expect(checkAdminToken(undefined, undefined)).toBe('disabled');
  });

  it('allows exactly the configured bearer token', () => {
    expect(checkAdminToken(TOKEN, `Bearer ${TOKEN}`)).toBe('allowed');
    expect(checkAdminToken(TOKEN, `bearer ${TOKEN}`)).toBe('allowed');
    expect(checkAdminToken(TOKEN, `Bearer ${TOKEN}x`)).toBe('wrong');
    expect(checkAdminToken(TOKEN, `Bearer ${TOKEN.slice(0, -1)}`)).toBe('wrong');
    expect(checkAdminToken(TOKEN, 'Bearer x')).toBe('wrong');
  });

  it('treats an absent or malformed header as missing', () => {
    expect(checkAdminToken(TOKEN, undefined)).toBe('missing');
    expect(checkAdminToken(TOKEN, '')).toBe('missing');
    expect(checkAdminToken(TOKEN, TOKEN)).toBe('missing');
    expect(checkAdminToken(TOKEN, `Basic ${TOKEN}`)).toBe('missing');
    expect(checkAdminToken(TOKEN, 'Bearer ')).toBe('missing');
  });

  it('throws a 403 naming the reason for every refusal', () => {
    const refusal = (configured: string | undefined, header: string | undefined) => {
      try {
        requireAdminToken(configured, header);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(refusal(TOKEN, `Bearer ${TOKEN}`)).toBeUndefined();
    for (const [configured, header, words] of [
      [undefined, `Bearer ${TOKEN}`, /KAFSCALE_CONSOLE_ADMIN_TOKEN/],
      [TOKEN, undefined, /needs the admin token/],
      [TOKEN, 'Bearer nope', /not the one/],
    ] as const) {
      const e = refusal(configured, header);
      expect(e).toBeInstanceOf(HttpError);
      expect((e as HttpError).status).toBe(403);
      expect((e as HttpError).message).toMatch(words);
    }
  });
});
