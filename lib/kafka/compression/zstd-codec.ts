import zstd from 'zstd-napi';
import zstdBinding from 'zstd-napi/binding.js';
import { joinParts, outputLimit, type CompressionCodec, type DecompressOptions } from './codec.js';
import { CorruptCompressedDataError, DecompressionLimitError } from './compression-errors.js';
import { CompressionType } from './compression-type.js';

/*
 * Zstandard frames (Kafka 2.1+, Produce v7+). Bounded on both axes:
 *   - output: decoded with ZSTD_decompressStream into chunks this file allocates, stopping
 *     with a DecompressionLimitError as soon as the total passes the cap (the frame's
 *     declared content size is not trusted);
 *   - window: `windowLogMax` (default 2^27 = 128 MiB, zstd's own default) refuses frames
 *     that would need a larger history buffer. Java producers at level 22 may use 2^27.
 * zstd-napi has no thread-pool variant: the async methods run on the calling thread.
 */

export const DEFAULT_ZSTD_WINDOW_LOG_MAX = 27;

const OUT_CHUNK = zstdBinding.dStreamOutSize();

export interface ZstdCodecOptions {
  /** Largest history window a frame may need, as a power of two (10..31). */
  readonly windowLogMax?: number;
  /** Compression level (zstd's default 3 when omitted). */
  readonly level?: number;
}

function corrupt(err: unknown): Error {
  if (err instanceof DecompressionLimitError || err instanceof CorruptCompressedDataError) {
    return err;
  }
  return new CorruptCompressedDataError(`zstd: ${(err as Error).message}`, { cause: err });
}

export function createZstdCodec(options: ZstdCodecOptions = {}): CompressionCodec {
  const windowLogMax = options.windowLogMax ?? DEFAULT_ZSTD_WINDOW_LOG_MAX;
  const compressParams = options.level === undefined ? {} : { compressionLevel: options.level };
  // One context, used synchronously: no two calls can interleave on it.
  const dctx = new zstdBinding.DCtx();
  dctx.setParameter(zstdBinding.DParameter.windowLogMax, windowLogMax);

  function decompressSync(input: Uint8Array, decompressOptions?: DecompressOptions): Buffer {
    const limit = outputLimit(decompressOptions);
    if (input.length === 0) throw new CorruptCompressedDataError('zstd: empty input');
    const parts: Buffer[] = [];
    let total = 0;
    let src = input;
    try {
      dctx.reset(zstdBinding.ResetDirective.sessionOnly);
      for (;;) {
        // One byte beyond the remaining allowance, so crossing the cap is detected.
        const room = limit - total + 1;
        const chunk = Buffer.allocUnsafe(Math.min(room, Math.max(OUT_CHUNK, src.length)));
        const [hint, produced, consumed] = dctx.decompressStream(chunk, src);
        src = src.subarray(consumed);
        total += produced;
        if (total > limit) {
          throw new DecompressionLimitError('zstd', limit, 'stream decoding stopped at the cap');
        }
        if (produced > 0) parts.push(chunk.subarray(0, produced));
        if (hint === 0 && src.length === 0) break;
        if (produced === 0 && consumed === 0) {
          throw new CorruptCompressedDataError(
            src.length === 0 ? 'zstd: truncated frame' : 'zstd: decoder made no progress',
          );
        }
      }
    } catch (err) {
      dctx.reset(zstdBinding.ResetDirective.sessionOnly);
      throw corrupt(err);
    }
    return joinParts(parts, total);
  }

  function compressSync(input: Uint8Array): Buffer {
    return zstd.compress(input, compressParams);
  }

  return {
    type: CompressionType.Zstd,
    name: 'zstd',
    compress: (input) => Promise.resolve().then(() => compressSync(input)),
    decompress: (input, o) => Promise.resolve().then(() => decompressSync(input, o)),
    compressSync,
    decompressSync,
  };
}

export const zstdCodec: CompressionCodec = createZstdCodec();
