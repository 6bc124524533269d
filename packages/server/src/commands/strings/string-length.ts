/**
 * The size limit APPEND and SETRANGE enforce before growing a string (t_string.c's
 * checkStringLength): the result may not exceed proto-max-bulk-len (512 MB by default), because no
 * client could send or read it back. Sizes are bigints so an offset near 2^63 cannot wrap.
 */
import type { CommandContext } from '../types.js';
import { ErrorReply } from '../types.js';

export const STRING_TOO_LONG: ErrorReply = new ErrorReply(
  'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
);

/** STRING_TOO_LONG if `size + append` bytes would exceed proto-max-bulk-len, else undefined. */
export function checkStringLength(
  ctx: CommandContext,
  size: bigint,
  append: bigint,
): ErrorReply | undefined {
  return size + append > BigInt(ctx.node.config.protoMaxBulkLen) ? STRING_TOO_LONG : undefined;
}
