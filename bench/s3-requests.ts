/**
 * CPU and time per S3 request against a real MinIO, as the storage node makes them: PUTs of
 * 200 KiB (a flush object) and ranged GETs of 64 KiB (a fetch's read), 4 in flight, 400
 * each. Rows: the AWS SDK's PutObject/GetObject (the reference) and Kafscale's signed HTTP
 * requests (lib/stores/s3/s3-http.ts, used by S3ObjectStore's put and get). CPU is this
 * process's user + system time per request (client side only; MinIO's is not counted).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../lib/stores/s3/s3-object-store.js';
import { startMinio } from '../test/fixtures/minio.js';

const PUT_BYTES = 200 * 1024;
const RANGE_BYTES = 64 * 1024;
const REQUESTS = 400;
const IN_FLIGHT = 4;

export interface S3RequestRow {
  readonly name: string;
  readonly putCpuMs: number;
  readonly putWallMs: number;
  readonly getCpuMs: number;
  readonly getWallMs: number;
}

interface Requests {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<void>;
}

/** CPU ms and wall ms per request of `op` over REQUESTS requests, IN_FLIGHT at a time. */
async function perRequest(op: (i: number) => Promise<void>): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, w) => {
      for (let i = w; i < REQUESTS; i += IN_FLIGHT) await op(i);
    }),
  );
  const used = process.cpuUsage(cpu);
  return [(used.user + used.system) / 1000 / REQUESTS, (performance.now() - started) / REQUESTS];
}

async function row(name: string, requests: Requests, prefix: string): Promise<S3RequestRow> {
  const body = Buffer.alloc(PUT_BYTES, 7);
  for (let i = 0; i < 40; i++) await requests.put(`${prefix}/warm-${i}`, body); // warm-up
  const [putCpuMs, putWallMs] = await perRequest((i) => requests.put(`${prefix}/${i}`, body));
  const [getCpuMs, getWallMs] = await perRequest((i) => requests.get(`${prefix}/${i}`));
  return { name, putCpuMs, putWallMs, getCpuMs, getWallMs };
}

export async function s3RequestBenchmarks(): Promise<S3RequestRow[]> {
  const minio = await startMinio();
  try {
    const bucket = 'bench-s3-requests';
    await minio.createBucket(bucket);
    const credentials = { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey };
    const sdk = new S3Client({
      region: minio.region,
      endpoint: minio.endpoint,
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const store = new S3ObjectStore({
      bucket,
      region: minio.region,
      endpoint: minio.endpoint,
      forcePathStyle: true,
      ...credentials,
    });
    try {
      const range = `bytes=0-${RANGE_BYTES - 1}`;
      return [
        await row(
          'AWS SDK PutObject / GetObject',
          {
            put: async (key, body) => {
              await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
            },
            get: async (key) => {
              const res = await sdk.send(
                new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }),
              );
              await res.Body?.transformToByteArray();
            },
          },
          'sdk',
        ),
        await row(
          "Kafscale's signed HTTP requests",
          {
            put: (key, body) => store.put(key, [body]),
            get: async (key) => {
              await store.get(key, { start: 0, end: RANGE_BYTES - 1 });
            },
          },
          'kafscale',
        ),
      ];
    } finally {
      sdk.destroy();
      store.destroy();
    }
  } finally {
    await minio.stop();
  }
}

export function printS3RequestTable(rows: readonly S3RequestRow[]): void {
  const ref = rows[0];
  if (ref === undefined) return;
  const width = Math.max(...rows.map((r) => r.name.length));
  const cell = (v: number, r: number) => `${v.toFixed(2).padStart(6)} (${(v / r).toFixed(2)})`;
  console.log(
    `${'client'.padEnd(width)}  PUT cpu ms  (ratio)  PUT wall ms  (ratio)  GET cpu ms  (ratio)  GET wall ms  (ratio)`,
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)}  ${cell(r.putCpuMs, ref.putCpuMs)}     ${cell(r.putWallMs, ref.putWallMs)}      ${cell(r.getCpuMs, ref.getCpuMs)}     ${cell(r.getWallMs, ref.getWallMs)}`,
    );
}
