/**
 * Redis's sdssplitargs (sds.c), which splits an inline request such as `SET "a b" 'it\'s'` into
 * arguments. Rules, byte for byte as Redis 7.0:
 *
 * - Blanks between arguments are any C isspace byte (space, \t, \n, \v, \f, \r), but an unquoted
 *   argument ends only at space, \n, \r, \t or the end, so \v and \f inside one are kept.
 * - A double quote may open anywhere in an argument (`a"b c"` is `ab c`). Inside it, \xHH (two hex
 *   digits) is a byte, \n \r \t \b \a are control bytes and a backslash before any other byte is
 *   that byte (so `\"` and `\\`, and `\z` is `z`).
 * - Inside single quotes only \' is an escape.
 * - A closing quote must be followed by a blank or the end, and an unclosed quote is an error:
 *   both make the whole request "unbalanced quotes".
 *
 * The caller passes a line without its newline; the end of the range plays the C string's NUL.
 */

const NUL = 0x00;
const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const LOWER_X = 0x78;

/** Returns the arguments as views of one fresh buffer, or null for unbalanced quotes. */
export function splitArgs(bytes: Buffer, start: number, end: number): Buffer[] | null {
  const out = Buffer.allocUnsafe(end - start);
  const args: Buffer[] = [];
  const cursor: SplitCursor = { pos: start, outPos: 0 };
  for (;;) {
    while (cursor.pos < end && isSpace(bytes[cursor.pos] ?? NUL)) cursor.pos++;
    if (cursor.pos >= end) return args;
    const tokenStart = cursor.outPos;
    if (!splitArgsToken(bytes, end, out, cursor)) return null;
    args.push(out.subarray(tokenStart, cursor.outPos));
  }
}

interface SplitCursor {
  pos: number;
  outPos: number;
}

/** Reads one argument into `out`; false on unbalanced quotes. Each step consumes a byte or ends. */
function splitArgsToken(bytes: Buffer, end: number, out: Buffer, cursor: SplitCursor): boolean {
  const at = (pos: number): number => (pos < end ? (bytes[pos] ?? NUL) : NUL);
  let quote = NUL;
  for (;;) {
    const byte = at(cursor.pos);
    if (quote === DOUBLE_QUOTE) {
      const next = at(cursor.pos + 1);
      if (
        byte === BACKSLASH &&
        next === LOWER_X &&
        isHex(at(cursor.pos + 2)) &&
        isHex(at(cursor.pos + 3))
      ) {
        out[cursor.outPos++] = hexValue(at(cursor.pos + 2)) * 16 + hexValue(at(cursor.pos + 3));
        cursor.pos += 3;
      } else if (byte === BACKSLASH && next !== NUL) {
        cursor.pos++;
        out[cursor.outPos++] = escapedByte(next);
      } else if (byte === DOUBLE_QUOTE) {
        return closesQuote(next) && advance(cursor, at);
      } else if (byte === NUL) {
        return false;
      } else {
        out[cursor.outPos++] = byte;
      }
    } else if (quote === SINGLE_QUOTE) {
      const next = at(cursor.pos + 1);
      if (byte === BACKSLASH && next === SINGLE_QUOTE) {
        cursor.pos++;
        out[cursor.outPos++] = SINGLE_QUOTE;
      } else if (byte === SINGLE_QUOTE) {
        return closesQuote(next) && advance(cursor, at);
      } else if (byte === NUL) {
        return false;
      } else {
        out[cursor.outPos++] = byte;
      }
    } else if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === NUL) {
      return advance(cursor, at);
    } else if (byte === DOUBLE_QUOTE || byte === SINGLE_QUOTE) {
      quote = byte;
    } else {
      out[cursor.outPos++] = byte;
    }
    advance(cursor, at);
  }
}

/** sdssplitargs's `if (*p) p++`: step past the byte under the cursor unless at the end. */
function advance(cursor: SplitCursor, at: (pos: number) => number): true {
  if (at(cursor.pos) !== NUL) cursor.pos++;
  return true;
}

/** A closing quote must be followed by a blank or by the end of the line. */
function closesQuote(next: number): boolean {
  return next === NUL || isSpace(next);
}

/** C's isspace in the C locale. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function isHex(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66)
  );
}

function hexValue(byte: number): number {
  if (byte <= 0x39) return byte - 0x30;
  if (byte <= 0x46) return byte - 0x41 + 10;
  return byte - 0x61 + 10;
}

/** The byte a backslash escape inside double quotes stands for. */
function escapedByte(byte: number): number {
  switch (byte) {
    case 0x6e:
      return 0x0a;
    case 0x72:
      return 0x0d;
    case 0x74:
      return 0x09;
    case 0x62:
      return 0x08;
    case 0x61:
      return 0x07;
    default:
      return byte;
  }
}
