/**
 * Building the argv of a propagated form (SET ... PXAT, DEL, PEXPIREAT...). Keys are latin1
 * strings in the keyspace; here they become Buffers byte for byte, so binary keys propagate intact.
 */
export function toArgv(...parts: readonly (string | Buffer)[]): Buffer[] {
  return parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part));
}
