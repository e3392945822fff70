// Configuration of the S3 object-store adapter.

export interface S3ObjectStoreConfig {
  readonly bucket: string;
  readonly region: string;
  /** e.g. 'http://127.0.0.1:9000' for MinIO; the AWS endpoint of `region` when absent. */
  readonly endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by MinIO. */
  readonly forcePathStyle: boolean;
  /** Static credentials; the SDK's default provider chain (env, profile, IRSA, IMDS) when absent. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** When set, puts are encrypted with SSE-KMS under this key. */
  readonly kmsKeyArn?: string;
  /** TCP connect timeout (default 3 s). */
  readonly connectionTimeoutMs?: number;
  /** No byte sent or received on the socket for this long fails the attempt (default 10 s). */
  readonly socketTimeoutMs?: number;
  /** An attempt must get its response headers within this (upload included; default 60 s). */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, first included, for retriable failures (default 3). */
  readonly maxAttempts?: number;
}

export const S3_DEFAULTS = {
  connectionTimeoutMs: 3_000,
  socketTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  maxAttempts: 3,
} as const;
