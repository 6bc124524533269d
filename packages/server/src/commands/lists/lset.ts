/**
 * LSET key index element
 *
 * Replaces the element at `index` (negative counts from the end) and replies +OK. Redis's order of
 * checks: a missing key is "ERR no such key", then WRONGTYPE, then a bad index "value is not an
 * integer or out of range", then an index outside the list "ERR index out of range".
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { listIndex } from './list-ops.js';

const NO_SUCH_KEY = new ErrorReply('ERR no such key');
const INDEX_OUT_OF_RANGE = new ErrorReply('ERR index out of range');

interface SetArgs {
  readonly key: string;
  readonly index: bigint | undefined;
  readonly value: Buffer;
}

export const lset: Command = defineCommand<SetArgs>({
  name: 'lset',
  arity: 4,
  syntax: 'key index:integer element',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the value of an element in a list by its index',
    since: '1.0.0',
    group: 'list',
    complexity:
      'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  },
  parse: (argv) => ({
    key: keyOf(argv[1]),
    index: parseInt64(argv[2]),
    value: argv[3] ?? Buffer.alloc(0),
  }),
  execute(ctx, args) {
    const list = lookupWrite(ctx, args.key, 'list');
    if (list === undefined) return NO_SUCH_KEY;
    if (list instanceof ErrorReply) return list;
    if (args.index === undefined) return NOT_INTEGER;
    const index = listIndex(args.index, list.value.length);
    if (index === undefined) return INDEX_OUT_OF_RANGE;
    list.value.set(index, Buffer.from(args.value));
    ctx.modified(args.key);
    ctx.reply.simple('OK');
    return undefined;
  },
});
