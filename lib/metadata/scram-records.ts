/**
 * A SCRAM credential in etcd (`scram/<user>/<mechanism>`, the user name URI-encoded): salt,
 * iteration count, StoredKey and ServerKey in base64 (lib/security/scram). Never the password
 * nor the salted password: what is stored verifies a login but cannot make one.
 */
import {
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  scramMechanismByName,
  type ScramMechanism,
} from '../security/scram/scram-mechanism.js';
import type { ScramCredential } from '../security/scram/scram-credential.js';
import {
  BadMetadataValueError,
  decodeJsonObject,
  encodeJson,
  field,
  isInt,
  isString,
} from './json-value.js';

export function encodeScramCredential(c: ScramCredential): Uint8Array {
  return encodeJson({
    salt: Buffer.from(c.salt).toString('base64'),
    iterations: c.iterations,
    storedKey: Buffer.from(c.storedKey).toString('base64'),
    serverKey: Buffer.from(c.serverKey).toString('base64'),
  });
}

export function decodeScramCredential(
  key: string,
  m: ScramMechanism,
  bytes: Uint8Array,
): ScramCredential {
  const o = decodeJsonObject(key, bytes);
  const b64 = (name: string, size?: number): Uint8Array => {
    const v = Buffer.from(field(key, o, name, isString, 'a string'), 'base64');
    if (v.length === 0 || (size !== undefined && v.length !== size))
      throw new BadMetadataValueError(key, `field ${name} has the wrong size`);
    return v;
  };
  const iterations = field(key, o, 'iterations', isInt, 'an integer');
  if (iterations < MIN_SCRAM_ITERATIONS || iterations > MAX_SCRAM_ITERATIONS)
    throw new BadMetadataValueError(key, 'iterations out of range');
  return {
    salt: b64('salt'),
    iterations,
    storedKey: b64('storedKey', m.keyBytes),
    serverKey: b64('serverKey', m.keyBytes),
  };
}

/** The user and mechanism a `scram/` key names, or undefined for a foreign key. */
export function parseScramKeyParts(
  userPart: string,
  mechanismPart: string,
): { user: string; mechanism: ScramMechanism } | undefined {
  const mechanism = scramMechanismByName(mechanismPart);
  if (mechanism === undefined) return undefined;
  try {
    const user = decodeURIComponent(userPart);
    return user === '' ? undefined : { user, mechanism };
  } catch {
    return undefined;
  }
}
