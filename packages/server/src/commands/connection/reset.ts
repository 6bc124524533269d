/**
 * RESET
 *
 * Returns the connection to the state of a new one, as Redis 7.0's resetCommand /
 * clearClientConnectionState: stops MONITOR, leaves MULTI and forgets watched keys, selects database 0, goes back
 * to RESP2, drops the client name, and authenticates as the default user would be on connecting
 * (so with `requirepass` set the client must AUTH again). Replies +RESET (in RESP2, having switched).
 * A replica's or a master's connection cannot be reset. Runs at once inside MULTI and without AUTH.
 * Pub/Sub subscriptions and tracking belong to those features (not reset here until they exist).
 */
import { discardTransaction } from '../transactions/transaction.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

export const reset: Command = defineCommand<null>({
  name: 'reset',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: {
    summary: 'Reset the connection',
    since: '6.2.0',
    group: 'connection',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    if (client.isMaster || node.master.isReplicaClient(client)) {
      return new ErrorReply('ERR can only reset normal client connections');
    }
    // A monitor stops monitoring (clearClientConnectionState).
    node.monitors.delete(client);
    discardTransaction(node, client);
    client.dbIndex = 0;
    client.reply.protocol = 2;
    client.name = '';
    // clientSetDefaultAuth: authenticated exactly when the default user needs no password.
    client.authenticated = node.config.requirepass === '';
    if (!client.authenticated) client.parser.authRequired = true;
    ctx.reply.simple('RESET');
    return undefined;
  },
});
