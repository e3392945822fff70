import { describe, expect, it } from 'vitest';
import { AdminTokens } from '../../../../lib/security/admin-tokens.js';

const TOKEN_A = 'a-token-of-sixteen-or-more';
const TOKEN_B = 'another-token-0123456789';

describe('admin tokens file', () => {
  it('maps each token to User:<name>, skipping comments and blank lines', () => {
    const tokens = AdminTokens.parse(`# operators\nalice:${TOKEN_A}\n\n  ci:${TOKEN_B}  \n`);
    expect(tokens.size).toBe(2);
    expect(tokens.principalOf(TOKEN_A)).toBe('User:alice');
    expect(tokens.principalOf(TOKEN_B)).toBe('User:ci');
    expect(tokens.principalOf('not-a-known-token-at-all')).toBeUndefined();
    expect(tokens.principalOf(TOKEN_A.slice(1))).toBeUndefined();
  });

  it('refuses bad lines by number, never repeating a token', () => {
    const bad = [
      ['no-colon-here-at-all-1234', /line 1: expected name:token/],
      [':no-name-but-long-token-1234', /line 1: expected name:token/],
      ['bob:short', /line 1: the token of bob must be at least 16/],
      [`x:${TOKEN_A}\ny:${TOKEN_A}`, /line 2: the token of y is used twice/],
      ['carol:has whitespace in it!!', /line 1: the token of carol/],
    ] as const;
    for (const [text, message] of bad) {
      let error: unknown;
      try {
        AdminTokens.parse(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('token-1234');
      expect((error as Error).message).not.toContain(TOKEN_A);
    }
  });
});
