/**
 * EXEC
 *
 * Runs the queued commands in order and replies an array of their replies; an error inside the
 * transaction is one element of that array, not an abort. Replies instead:
 * - `-EXECABORT Transaction discarded because of previous errors.` if queueing failed;
 * - a null array (`*-1`, RESP3 `_`) if a watched key changed since WATCH, including a key that was
 *   alive at WATCH and is logically expired now (Redis 7.0's isWatchedKeyExpired);
 * - `-ERR EXEC without MULTI` outside a transaction.
 * Either way the transaction ends and every watched key is forgotten.
 *
 * The whole transaction sees one instant: every queued command gets EXEC's `nowMs`, as Redis's
 * nested call() keeps the time snapshot of the outer one. EXEC's own call encloses the queued ones,
 * so their changes go to replicas as one MULTI ... EXEC block (a single change goes alone, as Redis
 * 7.0 does); EXEC itself is never propagated (`no_propagate`). Blocking commands never block
 * inside EXEC: they reply as if their timeout had passed (`client.denyBlocking`, lists/).
 */
import type { AclDenial } from '../../acl/check.js';
import { checkAcl } from '../../acl/enforce.js';
import { call } from '../call.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { discardTransaction, EXECABORT_MESSAGE } from './transaction.js';

const WITHOUT_MULTI = new ErrorReply('ERR EXEC without MULTI');
const EXECABORT = new ErrorReply(EXECABORT_MESSAGE);

/** Whether a key alive at WATCH time is logically expired now (not yet deleted or not). */
function watchedKeyExpired(ctx: CommandContext): boolean {
  for (const watched of ctx.node.watches.watchedKeys(ctx.client)) {
    if (watched.expired) continue;
    const db = ctx.node.databases[watched.dbIndex];
    const deadline = db?.expiryOf(watched.key);
    if (deadline !== undefined && ctx.nowMs > deadline && db?.peek(watched.key) !== undefined) {
      return true;
    }
  }
  return false;
}

const ACL_CHANGED_PREFIX =
  'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ';

const ACL_CHANGED_REASONS: Readonly<Record<AclDenial, string>> = {
  command: 'no permission to execute the command or subcommand',
  key: 'no permission to touch the specified keys',
  channel: 'no permission to access one of the channels used as arguments',
};

export const exec: Command = defineCommand<null>({
  name: 'exec',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog', 'no_propagate'],
  aclCategories: ['@slow', '@transaction'],
  keys: NO_KEYS,
  doc: {
    summary: 'Execute all commands issued after MULTI',
    since: '1.2.0',
    group: 'transactions',
    complexity: 'Depends on commands in the transaction',
  },
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    const transaction = client.transaction;
    if (transaction === undefined) return WITHOUT_MULTI;
    if (watchedKeyExpired(ctx)) client.watchDirty = true;
    if (transaction.aborted) {
      discardTransaction(node, client);
      return EXECABORT;
    }
    if (client.watchDirty) {
      discardTransaction(node, client);
      ctx.reply.nullArray();
      return undefined;
    }
    // Unwatch first: the transaction's own writes must not dirty this client (multi.c does too).
    node.watches.unwatchAll(client);
    ctx.reply.arrayHeader(transaction.commands.length);
    // Blocking commands (BLPOP...) act as their non-blocking forms inside EXEC (CLIENT_DENY_BLOCKING).
    const denyBlockingBefore = client.denyBlocking;
    client.denyBlocking = true;
    for (const queued of transaction.commands) {
      // ACL rules may have changed since the command was queued: checked again (execCommand).
      const denied = checkAcl(node, client, queued.command, queued.argv, 'multi');
      if (denied !== undefined) {
        node.replyError(client, `${ACL_CHANGED_PREFIX}${ACL_CHANGED_REASONS[denied.reason]}`);
        continue;
      }
      const error = call(node, client, queued.command, queued.argv, ctx.nowMs);
      if (error !== undefined) node.replyError(client, error);
    }
    client.denyBlocking = denyBlockingBefore;
    // The client stays in MULTI while the queue runs (CLIENT INFO inside EXEC shows flags=x).
    discardTransaction(node, client);
    return undefined;
  },
});
