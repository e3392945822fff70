/** Writing the console's answers: JSON for the API, with headers that keep browsers strict. */
import type { ServerResponse } from 'node:http';

/** Headers on every answer: no sniffing, no framing, scripts and styles from /ui/ only. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  );
}

export function replyJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(head ? undefined : text);
}

export function replyError(res: ServerResponse, status: number, message: string): void {
  replyJson(res, status, { error: message });
}
