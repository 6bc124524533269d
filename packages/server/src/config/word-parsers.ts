/**
 * How Redis 7.0 reads the words of numeric configuration values (util.c's string2ll and memtoull),
 * shared by the parameter table (params.ts) and the stored parameters (stored-params.ts).
 */

export const INT64_MIN: bigint = -(2n ** 63n);
export const INT64_MAX: bigint = 2n ** 63n - 1n;
export const UINT64_MAX: bigint = 2n ** 64n - 1n;

/** parseInteger over the whole signed 64-bit range, as bigint (string2ll). */
export function parseInteger64(text: string): bigint | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/**
 * A memory value as Redis 7.0.15's memtoull reads it for a 64-bit parameter: digits (leading
 * zeros and none at all allowed, no sign) and an optional unit; too many digits saturate, the
 * unsigned product wraps modulo 2^64 and is then read as a signed long long, so an overflow shows
 * up as a range error, as in Redis.
 */
export function parseMemory64(text: string): bigint | undefined {
  const match = /^([0-9]*)(k|kb|m|mb|g|gb|b)?$/i.exec(text);
  if (match === null) return undefined;
  const units: Record<string, bigint> = {
    b: 1n,
    k: 1000n,
    kb: 1024n,
    m: 1000n ** 2n,
    mb: 1024n ** 2n,
    g: 1000n ** 3n,
    gb: 1024n ** 3n,
  };
  // strtoull saturates at ULLONG_MAX, and 7.0.15 does not check its ERANGE.
  const parsed = BigInt(match[1] === '' ? '0' : (match[1] ?? '0'));
  const digits = parsed > UINT64_MAX ? UINT64_MAX : parsed;
  const product = (digits * (units[(match[2] ?? 'b').toLowerCase()] ?? 1n)) & UINT64_MAX;
  return product > INT64_MAX ? product - 2n ** 64n : product;
}
