/**
 * Which authorizer the edge applies to Kafka requests (docs/security.md, "ACLs"):
 * KAFSCALE_AUTHORIZER `none` (default: every principal may do everything) or `acl` (Kafka's
 * ACLs), with Kafka's super.users (KAFSCALE_SUPER_USERS, principals separated by `;`) and
 * allow.everyone.if.no.acl.found (KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND).
 */
import { ConfigError } from './config-error.js';

export const AUTHORIZER_KINDS = ['none', 'acl'] as const;
export type AuthorizerKind = (typeof AUTHORIZER_KINDS)[number];

export interface AuthorizerConfig {
  readonly kind: AuthorizerKind;
  /** Principals (`User:name`) allowed everything. */
  readonly superUsers: readonly string[];
  readonly allowEveryoneIfNoAclFound: boolean;
}

export interface AuthorizerSettingsText {
  readonly kind: AuthorizerKind;
  readonly superUsers: string | undefined;
  readonly allowEveryoneIfNoAclFound: boolean;
}

function parseSuperUsers(text: string | undefined): string[] {
  if (text === undefined) return [];
  const principals = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of principals)
    if (p.indexOf(':') <= 0)
      throw new ConfigError('KAFSCALE_SUPER_USERS', text, `${p} is not a principal (Type:name)`);
  return [...new Set(principals)];
}

export function parseAuthorizer(s: AuthorizerSettingsText): AuthorizerConfig {
  const superUsers = parseSuperUsers(s.superUsers);
  if (s.kind === 'none' && superUsers.length > 0)
    throw new ConfigError(
      'KAFSCALE_SUPER_USERS',
      s.superUsers ?? '',
      'needs KAFSCALE_AUTHORIZER=acl (without an authorizer everyone may do everything)',
    );
  if (s.kind === 'none' && s.allowEveryoneIfNoAclFound)
    throw new ConfigError(
      'KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND',
      'true',
      'needs KAFSCALE_AUTHORIZER=acl',
    );
  return { kind: s.kind, superUsers, allowEveryoneIfNoAclFound: s.allowEveryoneIfNoAclFound };
}
