/**
 * BITFIELD and BITFIELD_RO (bitops.c bitfieldGeneric): a list of GET, SET, INCRBY and OVERFLOW
 * operations on integer fields of a string, replied as one array with an element per GET/SET/INCRBY.
 *
 * Every operation is parsed before anything runs, in order: the operation word (a GET needs 2
 * more words, SET and INCRBY 3, OVERFLOW 1, else syntax error), OVERFLOW's kind ("Invalid OVERFLOW
 * type specified"), the type (i1..i64, u1..u63), the offset (`#n` = n times the width), and SET's
 * or INCRBY's integer. With only GETs the key is read (a missing key reads as zeros); otherwise
 * BITFIELD_RO refuses ("BITFIELD_RO only supports the GET subcommand") and BITFIELD grows the
 * string to the farthest bit written.
 *
 * SET replies the old value, INCRBY the new one. An overflow under WRAP wraps, under SAT saturates,
 * under FAIL replies a null and writes nothing (not a change: a BITFIELD whose writes all failed
 * is not propagated, though it may have created or grown the key, exactly as Redis 7.0). The
 * OVERFLOW in force is the last one before the operation. A BITFIELD with a SET or INCRBY is
 * propagated as received; with only GETs it changes nothing and is not propagated.
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
  ONE_KEY,
} from '../types.js';
import {
  type BitfieldType,
  getSignedBitfield,
  getUnsignedBitfield,
  parseBitfieldType,
  parseBitOffset,
  setBitfield,
  storeBitString,
  stringForBitWrite,
} from './bit-ops.js';

type Overflow = 'wrap' | 'sat' | 'fail';

interface FieldOp {
  readonly kind: 'get' | 'set' | 'incrby';
  readonly type: BitfieldType;
  readonly offset: bigint;
  readonly value: bigint;
  readonly overflow: Overflow;
}

interface BitfieldArgs {
  readonly key: string;
  readonly ops: readonly FieldOp[];
}

function parseOps(ctx: CommandContext, argv: readonly Buffer[]): FieldOp[] | ErrorReply {
  const ops: FieldOp[] = [];
  let overflow: Overflow = 'wrap';
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const word = argv[j];
    let kind: FieldOp['kind'];
    if (isKeyword(word, 'get') && remaining >= 2) kind = 'get';
    else if (isKeyword(word, 'set') && remaining >= 3) kind = 'set';
    else if (isKeyword(word, 'incrby') && remaining >= 3) kind = 'incrby';
    else if (isKeyword(word, 'overflow') && remaining >= 1) {
      j++;
      const chosen = (['wrap', 'sat', 'fail'] as const).find((name) => isKeyword(argv[j], name));
      if (chosen === undefined) return new ErrorReply('ERR Invalid OVERFLOW type specified');
      overflow = chosen;
      continue;
    } else return SYNTAX_ERROR;
    const type = parseBitfieldType(argv[j + 1]);
    if (type instanceof ErrorReply) return type;
    const offset = parseBitOffset(ctx, argv[j + 2], type.bits);
    if (offset instanceof ErrorReply) return offset;
    let value = 0n;
    if (kind !== 'get') {
      const parsed = parseInt64(argv[j + 3]);
      if (parsed === undefined) return NOT_INTEGER;
      value = parsed;
    }
    ops.push({ kind, type, offset, value, overflow });
    j += kind === 'get' ? 2 : 3;
  }
  return ops;
}

/**
 * checkSignedBitfieldOverflow / checkUnsignedBitfieldOverflow: whether `value + incr` leaves the
 * field's range, and the value WRAP or SAT gives then. `value` is the field's old value (INCRBY)
 * or the value to set (SET, incr 0), as int64 (signed) or uint64 (unsigned) as C sees it.
 */
function checkOverflow(
  type: BitfieldType,
  value: bigint,
  incr: bigint,
  overflow: Overflow,
): { overflowed: boolean; limit: bigint } {
  const bits = BigInt(type.bits);
  const max = type.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  const min = type.signed ? -max - 1n : 0n;
  const sum = value + incr;
  const wrapped = (): bigint =>
    type.signed ? BigInt.asIntN(type.bits, sum) : BigInt.asUintN(type.bits, sum);
  if (sum > max || value > max) {
    return { overflowed: true, limit: overflow === 'sat' ? max : wrapped() };
  }
  if (sum < min || value < min) {
    return { overflowed: true, limit: overflow === 'sat' ? min : wrapped() };
  }
  return { overflowed: false, limit: sum };
}

function runBitfield(ctx: CommandContext, args: BitfieldArgs, readOnlyCommand: boolean) {
  const { key, ops } = args;
  const writes = ops.filter((op) => op.kind !== 'get');
  let bytes: Buffer;
  if (writes.length === 0) {
    const value = lookupRead(ctx, key, 'string');
    if (value instanceof ErrorReply) return value;
    bytes = value?.value ?? Buffer.alloc(0);
  } else {
    if (readOnlyCommand) return new ErrorReply('ERR BITFIELD_RO only supports the GET subcommand');
    let highest = 0n;
    for (const op of writes) {
      const last = op.offset + BigInt(op.type.bits) - 1n;
      if (last > highest) highest = last;
    }
    const target = stringForBitWrite(ctx, key, highest);
    if (target instanceof ErrorReply) return target;
    bytes = target.bytes;
  }
  ctx.reply.arrayHeader(ops.length);
  let changes = 0;
  for (const op of ops) {
    const { type } = op;
    const read = type.signed ? getSignedBitfield : getUnsignedBitfield;
    const old = read(bytes, op.offset, type.bits);
    if (op.kind === 'get') {
      ctx.reply.integer(old);
      continue;
    }
    // As C sees the operands: SET's value is cast to uint64 for an unsigned field.
    const base = op.kind === 'incrby' ? old : type.signed ? op.value : BigInt.asUintN(64, op.value);
    const incr = op.kind === 'incrby' ? op.value : 0n;
    const { overflowed, limit } = checkOverflow(type, base, incr, op.overflow);
    if (overflowed && op.overflow === 'fail') {
      ctx.reply.nullBulk();
      continue;
    }
    ctx.reply.integer(op.kind === 'incrby' ? limit : old);
    setBitfield(bytes, op.offset, type.bits, limit);
    changes++;
  }
  if (writes.length > 0) {
    // Even with every write failed the key exists (grown) now, yet only changes count as a write
    // (and are propagated), as in Redis 7.0.
    storeBitString(ctx, key, bytes);
    if (changes > 0) ctx.modified(key, changes);
  }
  return undefined;
}

export function defineBitfield(name: 'bitfield' | 'bitfield_ro', doc: CommandDoc): Command {
  const readOnly = name === 'bitfield_ro';
  return defineCommand<BitfieldArgs>({
    name,
    arity: -2,
    syntax: readOnly
      ? 'key [GET encoding offset [GET encoding offset ...]]'
      : 'key [GET encoding offset] [OVERFLOW WRAP|SAT|FAIL] [SET encoding offset value:integer] [INCRBY encoding offset increment:integer]',
    flags: readOnly ? ['readonly', 'fast'] : ['write', 'denyoom'],
    aclCategories: readOnly ? ['@read', '@bitmap', '@fast'] : ['@write', '@bitmap', '@slow'],
    keys: ONE_KEY,
    // BITFIELD with only GETs reads (bitfieldGetKeys), with a SET or INCRBY writes.
    keyFlags: (_index, argv) =>
      argv.slice(2).some((arg) => isKeyword(arg, 'set') || isKeyword(arg, 'incrby'))
        ? ['RW', 'access', 'update']
        : ['RO', 'access'],
    doc,
    parse(argv, ctx) {
      const ops = parseOps(ctx, argv);
      if (ops instanceof ErrorReply) return ops;
      return { key: keyOf(argv[1]), ops };
    },
    execute: (ctx, args) => runBitfield(ctx, args, readOnly),
  });
}
