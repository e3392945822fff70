/** Topic ids travel as 16 raw bytes in gRPC and as Kafka's base64url text everywhere else. */
export function topicIdText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function topicIdBytes(text: string): Uint8Array {
  return Buffer.from(text, 'base64url');
}
