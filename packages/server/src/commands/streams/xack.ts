/**
 * XACK key group id [id ...]
 *
 * Removes the IDs from the group's pending entries list (and their consumers') and replies how
 * many were pending. A missing key or group replies 0 before the IDs are parsed; otherwise every ID
 * is parsed (strict) before any is acknowledged. Each acknowledged ID counts as a change, so XACK
 * propagates as received when one was.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { addDirty } from './stream-common.js';
import { parseStrictIds } from './stream-id.js';

interface XackArgs {
  readonly key: string;
  readonly group: string;
  readonly ids: readonly Buffer[];
}

export const xack: Command = defineCommand<XackArgs>({
  name: 'xack',
  arity: -4,
  syntax: 'key group id [id ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary:
      'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1) for each message ID processed.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), group: keyOf(argv[2]), ids: argv.slice(3) }),
  execute(ctx, args) {
    const found = lookupRead(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    const group = found?.value.groups.get(args.group);
    if (group === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    const ids = parseStrictIds(args.ids);
    if (ids instanceof ErrorReply) return ids;
    let acknowledged = 0;
    for (const id of ids) {
      const nack = group.pel.get(id);
      if (nack === undefined) continue;
      group.pel.delete(id);
      nack.consumer?.pel.delete(id);
      acknowledged++;
      addDirty(ctx);
    }
    ctx.reply.integer(acknowledged);
    return undefined;
  },
});
