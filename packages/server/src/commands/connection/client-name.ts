/**
 * Client-name validation shared by CLIENT SETNAME and HELLO SETNAME: Redis allows only printable
 * ASCII without spaces ('!' to '~'); an empty name clears it.
 */
import { ErrorReply } from '../types.js';

const NAME_ERROR = new ErrorReply(
  'ERR Client names cannot contain spaces, newlines or special characters.',
);

export function validateClientName(name: Buffer): ErrorReply | undefined {
  for (const byte of name) {
    if (byte < 0x21 || byte > 0x7e) return NAME_ERROR;
  }
  return undefined;
}
