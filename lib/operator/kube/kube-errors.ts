/** What a failed Kubernetes API call says: its HTTP status and the server's message. */
import { ApiException } from '@kubernetes/client-node';

export function kubeStatus(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

export function isNotFound(e: unknown): boolean {
  return kubeStatus(e) === 404;
}

export function isConflict(e: unknown): boolean {
  return kubeStatus(e) === 409;
}

/** The server's message (a Status object's `message`), else the error's own. */
export function kubeMessage(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = e.body;
    let parsed: unknown = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body);
      } catch {
        return `${e.code}: ${body}`;
      }
    }
    const message = (parsed as { message?: unknown } | null)?.message;
    return `${e.code}: ${typeof message === 'string' ? message : JSON.stringify(parsed)}`;
  }
  return e instanceof Error ? e.message : String(e);
}
