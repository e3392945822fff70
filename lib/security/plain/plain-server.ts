/**
 * The server side of SASL PLAIN: one message, checked against the PLAIN user list. Kafka's
 * PLAIN sends the password in clear inside the SASL exchange, so it belongs on SASL_SSL
 * listeners (docs/security.md).
 */
import { invalidCredentials, SaslFailure, type SaslServer, type SaslStep } from '../sasl-server.js';
import { parsePlainMessage, PlainMessageError } from './plain-message.js';
import type { PlainUsers } from './plain-users.js';

export class PlainServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  private used = false;

  constructor(private readonly users: () => PlainUsers | undefined) {}

  async evaluate(token: Uint8Array): Promise<SaslStep> {
    if (this.used) throw new SaslFailure('malformed', 'PLAIN exchange already finished');
    this.used = true;
    let message;
    try {
      message = parsePlainMessage(token);
    } catch (e) {
      if (e instanceof PlainMessageError) throw new SaslFailure('malformed', e.message);
      throw e;
    }
    if (message.authzid !== '' && message.authzid !== message.username)
      throw new SaslFailure(
        'credentials',
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    const users = this.users();
    const ok = users !== undefined && (await users.verify(message.username, message.password));
    if (!ok) throw invalidCredentials(this.mechanism);
    return { done: true, challenge: new Uint8Array(0), user: message.username };
  }
}
