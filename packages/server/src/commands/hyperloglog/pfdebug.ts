/**
 * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
 *
 * Redis's internal HLL inspection command (arity exactly 3 in 7.0.15). The key is checked first
 * ("ERR The specified key does not exist", then the HLL WRONGTYPE), then the subcommand:
 * - GETREG: the 16384 registers as integers; a sparse HLL is converted to dense first, which
 *   counts as a change (dirty++, no keyspace signal) and propagates the command;
 * - DECODE: the sparse opcodes as text (`Z:8436 v:1,1 ...`), "ERR HLL encoding is not sparse"
 *   for a dense one;
 * - ENCODING: +dense or +sparse;
 * - TODENSE: converts a sparse HLL to dense (:1, a change as in GETREG) or replies :0.
 * Anything else: "ERR Unknown PFDEBUG subcommand '<sub>'". A corrupt sparse HLL answers INVALIDOBJ
 * where it has to be converted.
 */
import { keyOf } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply } from '../types.js';
import {
  decodeSparse,
  denseGet,
  encodingOf,
  HLL_REGISTERS,
  HLL_SPARSE,
  sparseToDense,
} from './hll.js';
import { asHll, CORRUPT_HLL, storeHll } from './hll-key.js';

interface PfdebugArgs {
  readonly subcommand: string;
  readonly key: string;
}

export const pfdebug: Command = defineCommand<PfdebugArgs>({
  name: 'pfdebug',
  arity: 3,
  syntax: 'subcommand:string key',
  flags: ['write', 'denyoom', 'admin'],
  aclCategories: ['@write', '@hyperloglog', '@admin', '@slow', '@dangerous'],
  keys: { first: 2, last: 2, step: 1 },
  keyFlags: () => ['RW', 'access'],
  doc: {
    summary: 'Internal commands for debugging HyperLogLog values',
    since: '2.8.9',
    group: 'hyperloglog',
    complexity: 'N/A',
  },
  parse: (argv) => ({ subcommand: argv[1]?.toString('latin1') ?? '', key: keyOf(argv[2]) }),
  execute(ctx, { subcommand, key }) {
    const value = ctx.db.lookup(key, ctx.nowMs);
    if (value === undefined) return new ErrorReply('ERR The specified key does not exist');
    const hll = asHll(value);
    if (hll instanceof ErrorReply) return hll;
    let bytes = hll.value;
    // dbUnshareStringValue: the key is raw from here on, whatever the subcommand.
    if (hll.encoding !== 'raw') storeHll(ctx, key, bytes);
    switch (subcommand.toLowerCase()) {
      case 'getreg': {
        const dense = toDense(ctx, key, bytes);
        if (dense === undefined) return CORRUPT_HLL;
        bytes = dense;
        ctx.reply.arrayHeader(HLL_REGISTERS);
        for (let j = 0; j < HLL_REGISTERS; j++) ctx.reply.integer(denseGet(bytes, j));
        return undefined;
      }
      case 'decode':
        if (encodingOf(bytes) !== HLL_SPARSE)
          return new ErrorReply('ERR HLL encoding is not sparse');
        ctx.reply.bulk(Buffer.from(decodeSparse(bytes), 'latin1'));
        return undefined;
      case 'encoding':
        ctx.reply.simple(encodingOf(bytes) === HLL_SPARSE ? 'sparse' : 'dense');
        return undefined;
      case 'todense': {
        const wasSparse = encodingOf(bytes) === HLL_SPARSE;
        if (toDense(ctx, key, bytes) === undefined) return CORRUPT_HLL;
        ctx.reply.integer(wasSparse ? 1 : 0);
        return undefined;
      }
      default:
        return new ErrorReply(`ERR Unknown PFDEBUG subcommand '${subcommand}'`);
    }
  },
});

/** Converts a sparse HLL to dense and stores it (a change: dirty++); undefined if corrupt. */
function toDense(ctx: CommandContext, key: string, bytes: Buffer): Buffer | undefined {
  if (encodingOf(bytes) !== HLL_SPARSE) return bytes;
  const dense = sparseToDense(bytes);
  if (dense === undefined) return undefined;
  storeHll(ctx, key, dense);
  // Redis's server.dirty++ "to force propagation on encoding change", without signalModifiedKey.
  ctx.node.dirty++;
  return dense;
}
