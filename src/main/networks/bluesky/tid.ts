// Record keys for posts, chosen by Colonnade so that a retry cannot post twice.
//
// A TID is 13 characters of base32-sortable: 53 bits of microseconds since the epoch, then a
// 10-bit clock id. Ours is a pure function of the publish request's idempotency key (SHA-256),
// so every retry of one post, even after a restart, asks for the same record key and the
// network refuses a second record there. The timestamp bits come from the hash too, folded
// into one year in the past (2023): never in the future, which relays may distrust. Bluesky
// sorts and shows posts by their createdAt, not by the record key.
import { createHash } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
/** 2023-01-01T00:00:00Z in microseconds, and one (non-leap) year of them. */
const WINDOW_START = 1_672_531_200_000_000n;
const WINDOW_SIZE = 365n * 86_400n * 1_000_000n;

function encode(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return out;
}

/** The TID that serves as record key for the post published under `idempotencyKey`. */
export function tidFromKey(idempotencyKey: string): string {
  const hash = createHash('sha256').update(`colonnade:bluesky:post:${idempotencyKey}`).digest();
  const a = hash.readBigUInt64BE(0);
  const micros = WINDOW_START + (a % WINDOW_SIZE);
  const clockId = BigInt(hash.readUInt16BE(8) & 0x3ff);
  return encode(micros, 11) + encode(clockId, 2);
}

export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
