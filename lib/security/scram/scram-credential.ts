/**
 * What a server keeps of a SCRAM user (RFC 5802 section 3): the salt, the iteration count,
 * StoredKey = H(HMAC(SaltedPassword, "Client Key")) and ServerKey =
 * HMAC(SaltedPassword, "Server Key"). Neither the password nor SaltedPassword is kept:
 * StoredKey verifies a client's proof and ServerKey signs the server's answer, but neither
 * lets anyone log in.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { MIN_SCRAM_ITERATIONS, type ScramMechanism } from './scram-mechanism.js';

export interface ScramCredential {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly storedKey: Uint8Array;
  readonly serverKey: Uint8Array;
}

export function hmac(m: ScramMechanism, key: Uint8Array, text: string | Uint8Array): Buffer {
  return createHmac(m.hash, key).update(text).digest();
}

export function hash(m: ScramMechanism, bytes: Uint8Array): Buffer {
  return createHash(m.hash).update(bytes).digest();
}

/** Hi(password, salt, i) of RFC 5802: PBKDF2 with the mechanism's HMAC. */
export function saltedPassword(
  m: ScramMechanism,
  password: string,
  salt: Uint8Array,
  iterations: number,
): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyBytes, m.hash);
}

export function clientKeyOf(m: ScramMechanism, salted: Uint8Array): Buffer {
  return hmac(m, salted, 'Client Key');
}

/** The stored credential for a SaltedPassword (what AlterUserScramCredentials carries). */
export function credentialFromSaltedPassword(
  m: ScramMechanism,
  salt: Uint8Array,
  salted: Uint8Array,
  iterations: number,
): ScramCredential {
  return {
    salt: Uint8Array.from(salt),
    iterations,
    storedKey: hash(m, clientKeyOf(m, salted)),
    serverKey: hmac(m, salted, 'Server Key'),
  };
}

/** A credential for a password, with a fresh random salt unless one is given. */
export function credentialFromPassword(
  m: ScramMechanism,
  password: string,
  iterations = MIN_SCRAM_ITERATIONS,
  salt: Uint8Array = randomBytes(m.keyBytes),
): ScramCredential {
  return credentialFromSaltedPassword(
    m,
    salt,
    saltedPassword(m, password, salt, iterations),
    iterations,
  );
}
