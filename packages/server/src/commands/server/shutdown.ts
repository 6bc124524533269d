/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] | SHUTDOWN ABORT
 *
 * Saves (if save rules exist and not NOSAVE, or if SAVE), then stops the node and exits the
 * process (shutdown.ts has the sequence). Replies, as Redis 7.0.15 (db.c:shutdownCommand):
 * - success: none; the connection closes (with every other client's) and the process exits 0;
 * - the save failed without FORCE: `-ERR Errors trying to SHUTDOWN. Check logs.` and the node goes
 *   on serving; with FORCE it exits anyway;
 * - an unknown word, ABORT with anything else, or NOSAVE with SAVE: `-ERR syntax error`;
 * - ABORT with no shutdown in progress: `-ERR No shutdown in progress.`, else +OK;
 * - from a DENY BLOCKING client without NOW: `-ERR SHUTDOWN without NOW or ABORT isn't allowed
 *   for DENY BLOCKING client`. SHUTDOWN is `no_multi` (queueing it in MULTI is refused with "Command
 *   not allowed inside a transaction"), so no client reaches this in replisim today; Redis's Lua
 *   and module callers are the others.
 * While a dump is loading the shutdown never saves (Redis forces NOSAVE).
 *
 * The client waits (suspended) while the node waits for lagging replicas (skipped with NOW or
 * shutdown-timeout 0; shutdown.ts) and while the final save runs (which holds every client).
 */
import { resumeSuspendedClient } from '../../client-io.js';
import type { ShutdownFlags } from '../../config/server-config.js';
import { abortShutdown, shutdownNode } from '../../shutdown.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const SYNTAX_ERROR = new ErrorReply('ERR syntax error');
const SHUTDOWN_FAILED = new ErrorReply('ERR Errors trying to SHUTDOWN. Check logs.');

type ShutdownArgs =
  | { readonly kind: 'abort' }
  | { readonly kind: 'shutdown'; readonly flags: ShutdownFlags };

function parseShutdown(argv: readonly Buffer[]): ShutdownArgs | ErrorReply {
  const flags = { save: false, nosave: false, now: false, force: false };
  let abort = false;
  for (const arg of argv.slice(1)) {
    const word = arg.toString('latin1').toLowerCase();
    if (word === 'nosave') flags.nosave = true;
    else if (word === 'save') flags.save = true;
    else if (word === 'now') flags.now = true;
    else if (word === 'force') flags.force = true;
    else if (word === 'abort') abort = true;
    else return SYNTAX_ERROR;
  }
  const anyFlag = flags.nosave || flags.save || flags.now || flags.force;
  if ((abort && anyFlag) || (flags.nosave && flags.save)) return SYNTAX_ERROR;
  return abort ? { kind: 'abort' } : { kind: 'shutdown', flags };
}

export const shutdown: Command = defineCommand<ShutdownArgs>({
  name: 'shutdown',
  arity: -1,
  syntax: '[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]',
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Synchronously save the dataset to disk and then shut down the server',
    since: '1.0.0',
    group: 'server',
    complexity:
      'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  },
  parse: parseShutdown,
  execute(ctx, args) {
    const { node, client } = ctx;
    if (args.kind === 'abort') {
      if (!abortShutdown(node)) return new ErrorReply('ERR No shutdown in progress.');
      ctx.reply.simple('OK');
      return undefined;
    }
    if (!args.flags.now && client.denyBlocking) {
      return new ErrorReply(
        "ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client",
      );
    }
    // Suspended until the outcome is known; on success the node stops and the client is closed.
    client.suspended = true;
    let running = true;
    let failedAtOnce = false;
    shutdownNode(node, args.flags, () => {
      if (running) {
        failedAtOnce = true;
        return;
      }
      resumeSuspendedClient(node, client, () => node.replyError(client, SHUTDOWN_FAILED.message));
    });
    running = false;
    // A failure reported before shutdownNode returned is answered as an ordinary reply.
    if (!failedAtOnce) return undefined;
    client.suspended = false;
    return SHUTDOWN_FAILED;
  },
});
