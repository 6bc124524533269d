/**
 * LINSERT key BEFORE|AFTER pivot element
 *
 * Inserts `element` before or after the first element equal to `pivot` (searching from the head)
 * and replies the new length; -1 if the pivot is not found, 0 if the key does not exist. The
 * BEFORE/AFTER word is checked first: a wrong one is a syntax error even on a missing key.
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface InsertArgs {
  readonly key: string;
  readonly after: boolean;
  readonly pivot: Buffer;
  readonly value: Buffer;
}

export const linsert: Command = defineCommand<InsertArgs>({
  name: 'linsert',
  arity: 5,
  syntax: 'key (BEFORE|AFTER) pivot element',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Insert an element before or after another element in a list',
    since: '2.2.0',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  },
  parse(argv) {
    const after = isKeyword(argv[2], 'after');
    if (!after && !isKeyword(argv[2], 'before')) return SYNTAX_ERROR;
    return {
      key: keyOf(argv[1]),
      after,
      pivot: argv[3] ?? Buffer.alloc(0),
      value: argv[4] ?? Buffer.alloc(0),
    };
  },
  execute(ctx, args) {
    const list = lookupWrite(ctx, args.key, 'list');
    if (list === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    if (list instanceof ErrorReply) return list;
    let position = -1;
    for (let i = 0; i < list.value.length; i++) {
      if (list.value.at(i)?.equals(args.pivot) === true) {
        position = i;
        break;
      }
    }
    if (position < 0) {
      ctx.reply.integer(-1);
      return undefined;
    }
    list.value.insertAt(args.after ? position + 1 : position, Buffer.from(args.value));
    ctx.modified(args.key);
    ctx.reply.integer(list.value.length);
    return undefined;
  },
});
