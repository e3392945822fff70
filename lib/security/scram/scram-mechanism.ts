/**
 * The SCRAM mechanisms Kafka knows (RFC 5802 with the hashes of RFC 7677 and RFC 5802's
 * SHA-512 variant), with the type codes AlterUserScramCredentials and
 * DescribeUserScramCredentials carry and Kafka's bounds on the iteration count.
 */

export interface ScramMechanism {
  /** The SASL mechanism name clients ask for in SaslHandshake. */
  readonly name: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  /** Kafka's ScramMechanism code (1 SHA-256, 2 SHA-512). */
  readonly type: 1 | 2;
  /** node:crypto's name of the hash. */
  readonly hash: 'sha256' | 'sha512';
  /** Bytes of the hash's output: the size of SaltedPassword, StoredKey and ServerKey. */
  readonly keyBytes: 32 | 64;
}

export const SCRAM_SHA_256: ScramMechanism = {
  name: 'SCRAM-SHA-256',
  type: 1,
  hash: 'sha256',
  keyBytes: 32,
};

export const SCRAM_SHA_512: ScramMechanism = {
  name: 'SCRAM-SHA-512',
  type: 2,
  hash: 'sha512',
  keyBytes: 64,
};

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = [SCRAM_SHA_256, SCRAM_SHA_512];

/** Kafka refuses fewer iterations (ScramMechanism.minIterations) ... */
export const MIN_SCRAM_ITERATIONS = 4096;
/** ... and more than this many (ScramCredentialUtils' upper bound). */
export const MAX_SCRAM_ITERATIONS = 16384;

export function scramMechanismByName(name: string): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => m.name === name);
}

export function scramMechanismByType(type: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => m.type === type);
}
