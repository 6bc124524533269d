/**
 * BITOP AND|OR|XOR|NOT destkey key [key ...]
 *
 * Combines the source strings byte by byte (a shorter or missing one reads as zero bytes), stores
 * the result at `destkey` (raw, any TTL cleared) and replies its length, the longest source's. An
 * empty result deletes `destkey`. Checks as bitopCommand: the operation name (syntax error), NOT
 * with more than one source ("BITOP NOT must be called with a single source key."), then each
 * source's type in order. Propagated as received.
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

type BitOp = 'and' | 'or' | 'xor' | 'not';

interface BitopArgs {
  readonly op: BitOp;
  readonly destination: string;
  readonly sources: readonly string[];
}

export const bitop: Command = defineCommand<BitopArgs>({
  name: 'bitop',
  arity: -4,
  syntax: '(AND|OR|XOR|NOT) destkey:key key [key ...]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@bitmap', '@slow'],
  keys: { first: 2, last: -1, step: 1 },
  keyFlags: (index) => (index === 2 ? ['OW', 'update'] : ['RO', 'access']),
  doc: {
    summary: 'Perform bitwise operations between strings',
    since: '2.6.0',
    group: 'bitmap',
    complexity: 'O(N)',
  },
  parse(argv) {
    const op = (['and', 'or', 'xor', 'not'] as const).find((name) => isKeyword(argv[1], name));
    if (op === undefined) return SYNTAX_ERROR;
    if (op === 'not' && argv.length !== 4) {
      return new ErrorReply('ERR BITOP NOT must be called with a single source key.');
    }
    return { op, destination: keyOf(argv[2]), sources: argv.slice(3).map(keyOf) };
  },
  execute(ctx, { op, destination, sources }) {
    const inputs: Buffer[] = [];
    let longest = 0;
    for (const key of sources) {
      const value = lookupRead(ctx, key, 'string');
      if (value instanceof ErrorReply) return value;
      const bytes = value?.value ?? Buffer.alloc(0);
      inputs.push(bytes);
      longest = Math.max(longest, bytes.length);
    }
    if (longest === 0) {
      if (ctx.db.delete(destination)) ctx.modified(destination);
      ctx.reply.integer(0);
      return undefined;
    }
    const result = Buffer.alloc(longest);
    for (let i = 0; i < longest; i++) {
      let output = inputs[0]?.[i] ?? 0;
      if (op === 'not') output = ~output & 0xff;
      for (let k = 1; k < inputs.length; k++) {
        const byte = inputs[k]?.[i] ?? 0;
        if (op === 'and') output &= byte;
        else if (op === 'or') output |= byte;
        else output ^= byte;
      }
      result[i] = output;
    }
    ctx.db.set(destination, { type: 'string', value: result, encoding: 'raw' });
    ctx.modified(destination);
    ctx.reply.integer(longest);
    return undefined;
  },
});
