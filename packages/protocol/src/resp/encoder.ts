/**
 * Encoding for the client side and for tests: a RespValue into RESP2 or RESP3 bytes, and a command
 * (argv) into the multibulk request every client sends. Values are written through ReplyWriter, so
 * a value encodes exactly as the server would send it, RESP3 downgrades for RESP2 included. Nested
 * values are walked with an explicit stack, never by recursion.
 */
import { unreachable } from '@replisim/base';
import { type ProtocolVersion, ReplyWriter } from './reply-writer.js';
import type { RespValue } from './value.js';

const CRLF: Buffer = Buffer.from('\r\n', 'latin1');

export function encodeValue(value: RespValue, protocol: ProtocolVersion): Buffer {
  const writer = new ReplyWriter(256);
  writer.protocol = protocol;
  writeValue(writer, value);
  return writer.take() ?? Buffer.alloc(0);
}

/** Writes `value` and everything inside it, depth first, in wire order. */
export function writeValue(writer: ReplyWriter, value: RespValue): void {
  const pending: RespValue[] = [value];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const children = writeOne(writer, item);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) pending.push(child);
    }
  }
}

/** Writes one value's own bytes and returns its children in wire order. */
function writeOne(writer: ReplyWriter, value: RespValue): readonly RespValue[] {
  const resp3 = writer.protocol === 3;
  switch (value.kind) {
    case 'simple':
      writer.simple(value.value);
      return [];
    case 'error':
      writer.error(value.value);
      return [];
    case 'integer':
      writer.integer(value.value);
      return [];
    case 'bulk':
      writer.bulk(value.value);
      return [];
    case 'null':
      writer.nullBulk();
      return [];
    case 'array':
      writer.arrayHeader(value.items.length);
      return value.items;
    case 'set':
      writer.setHeader(value.items.length);
      return value.items;
    case 'push':
      writer.pushHeader(value.items.length);
      return value.items;
    case 'map':
      writer.mapHeader(value.entries.length);
      return value.entries.flat();
    case 'double':
      writer.double(value.value);
      return [];
    case 'boolean':
      writer.boolean(value.value);
      return [];
    case 'bignum':
      writer.bigNumber(value.value.toString());
      return [];
    case 'verbatim':
      writeBlob(writer, resp3 ? '=' : '$', value.value, resp3 ? value.format : undefined);
      return [];
    case 'blobError':
      if (resp3) writeBlob(writer, '!', value.value, undefined);
      else writer.error(value.value.toString('latin1'));
      return [];
    case 'attribute':
      if (!resp3) return [value.value];
      writer.raw(Buffer.from(`|${value.entries.length}\r\n`, 'latin1'));
      return [...value.entries.flat(), value.value];
    default:
      return unreachable(value);
  }
}

/** `<type><len>\r\n[fmt:]<bytes>\r\n` for the blob types ReplyWriter has no method for. */
function writeBlob(
  writer: ReplyWriter,
  type: string,
  body: Buffer,
  format: string | undefined,
): void {
  const prefix = format === undefined ? '' : `${format}:`;
  const length = Buffer.byteLength(prefix, 'latin1') + body.length;
  writer.raw(Buffer.from(`${type}${length}\r\n${prefix}`, 'latin1'));
  writer.raw(body);
  writer.raw(CRLF);
}

/**
 * The multibulk request `*<n>\r\n`, then `$<len>\r\n<arg>\r\n` per argument. Strings are byte
 * strings (latin1: one char per byte), as the server holds keys; pass a Buffer for UTF-8 text.
 */
export function encodeCommand(argv: readonly (Buffer | string)[]): Buffer {
  let size = 16;
  for (const arg of argv) {
    size += arg.length + 24;
  }
  const out = Buffer.allocUnsafe(size);
  let pos = writeHeader(out, 0, 0x2a, argv.length);
  for (const arg of argv) {
    if (typeof arg === 'string') {
      pos = writeHeader(out, pos, 0x24, arg.length);
      pos += out.write(arg, pos, 'latin1');
    } else {
      pos = writeHeader(out, pos, 0x24, arg.length);
      pos += arg.copy(out, pos);
    }
    out[pos++] = 0x0d;
    out[pos++] = 0x0a;
  }
  return out.subarray(0, pos);
}

/** `encodeCommand(argv).length`, computed without encoding (a stream offset with no reader). */
export function encodedCommandBytes(argv: readonly (Buffer | string)[]): number {
  let bytes = 3 + digitCount(argv.length);
  for (const arg of argv) {
    const length = arg.length;
    bytes += 5 + digitCount(length) + length;
  }
  return bytes;
}

/** Writes `<type><n>\r\n` for a non-negative integer at `pos`; returns the position after it. */
function writeHeader(out: Buffer, pos: number, type: number, n: number): number {
  out[pos] = type;
  const digits = digitCount(n);
  let value = n;
  for (let at = pos + digits; at > pos; at--) {
    out[at] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  out[pos + digits + 1] = 0x0d;
  out[pos + digits + 2] = 0x0a;
  return pos + digits + 3;
}

function digitCount(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}
