/**
 * SAVE
 *
 * Writes the dataset to `dir`/`dbfilename` synchronously: the node processes no client input until
 * the file is renamed into place (persistence.ts), and the reply waits too. Replies +OK, the bare
 * `-ERR` if the file could not be written (the cause is in the log, as in Redis), or
 * `-ERR Background save already in progress` while a BGSAVE runs. Refused inside MULTI (no_multi).
 * Success resets the change counter and LASTSAVE and clears a MISCONF condition.
 */
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

export const BGSAVE_IN_PROGRESS: ErrorReply = new ErrorReply(
  'ERR Background save already in progress',
);

export const save: Command = defineCommand<null>({
  name: 'save',
  arity: 1,
  syntax: '',
  flags: ['admin', 'noscript', 'no_multi'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Synchronously save the dataset to disk',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(N) where N is the total number of keys in all databases',
  },
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    const persistence = node.persistence;
    if (persistence.bgsaveInProgress) return BGSAVE_IN_PROGRESS;
    persistence.rdbSaves++;
    persistence.save((result) => {
      if (result.ok) client.reply.simple('OK');
      else node.replyError(client, 'ERR');
    });
    return undefined;
  },
});
