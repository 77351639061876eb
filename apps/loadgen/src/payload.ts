import { createRng, hash32, type Rng } from './prng';
import type { PlanOptions } from './options';

/** Bytes a record's JSON spends on fields other than the payload (ids, times, a few attributes). */
export const RECORD_OVERHEAD_BYTES = 260;
/** Well below the broker's default message.max.bytes (1 MiB), batch overhead included. */
const MAX_RECORD_BYTES = 512_000;

/** A record size drawn from the configured distribution, in bytes (whole record). */
export function sampleRecordSize(rng: Rng, size: PlanOptions['recordSize']): number {
  let bytes: number;
  switch (size.distribution) {
    case 'fixed':
      bytes = size.mean;
      break;
    case 'uniform':
      bytes = size.mean * (1 + size.spread * (2 * rng.next() - 1));
      break;
    case 'lognormal': {
      // mean of a lognormal is exp(mu + sigma^2 / 2); pick mu so the mean is the configured one
      const sigma = size.spread;
      const mu = Math.log(size.mean) - (sigma * sigma) / 2;
      bytes = Math.exp(mu + sigma * rng.normal());
      break;
    }
  }
  return Math.round(Math.min(MAX_RECORD_BYTES, Math.max(RECORD_OVERHEAD_BYTES + 16, bytes)));
}

/** Payload characters that bring a record to `recordBytes`. */
export function payloadLength(recordBytes: number): number {
  return Math.max(16, recordBytes - RECORD_OVERHEAD_BYTES);
}

const FILLER_LENGTH = 1 << 20;
let filler: string | undefined;

/**
 * Deterministic filler text of `length` characters for record `id`. Slices of one
 * pre-made random text: cheap at high rates, and not all alike, so compression
 * does not look better than it would on real data.
 */
export function payloadFor(id: string, length: number): string {
  if (!filler) {
    const rng = createRng('streamtune-payload');
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';
    const chars = new Array<string>(FILLER_LENGTH);
    for (let i = 0; i < FILLER_LENGTH; i++)
      chars[i] = alphabet[Math.floor(rng.next() * alphabet.length)] as string;
    filler = chars.join('');
  }
  const n = Math.min(length, FILLER_LENGTH);
  const start = hash32(id) % (FILLER_LENGTH - n + 1);
  return filler.slice(start, start + n);
}
