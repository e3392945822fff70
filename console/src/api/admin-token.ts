/**
 * The gate of the console's admin actions. With no token configured every action is
 * refused; with one, a request must carry `Authorization: Bearer <token>`. The comparison
 * is of SHA-256 digests with timingSafeEqual, so its time says nothing about how much of
 * the token, or of its length, a guess got right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/http-error.js';

export type TokenVerdict = 'allowed' | 'disabled' | 'missing' | 'wrong';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function checkAdminToken(
  configured: string | undefined,
  authorization: string | undefined,
): TokenVerdict {
  if (configured === undefined) return 'disabled';
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (m === null) return 'missing';
  return timingSafeEqual(digest(m[1] ?? ''), digest(configured)) ? 'allowed' : 'wrong';
}

/** Throws the 403 of a refused action. */
export function requireAdminToken(
  configured: string | undefined,
  authorization: string | undefined,
): void {
  switch (checkAdminToken(configured, authorization)) {
    case 'allowed':
      return;
    case 'disabled':
      throw new HttpError(
        403,
        'admin actions are disabled: the console was started without KAFSCALE_CONSOLE_ADMIN_TOKEN',
      );
    case 'missing':
      throw new HttpError(403, 'this action needs the admin token (Authorization: Bearer <token>)');
    case 'wrong':
      throw new HttpError(403, 'the admin token is not the one the console was started with');
  }
}
