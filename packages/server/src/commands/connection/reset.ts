/**
 * RESET
 *
 * Returns the connection to its initial state (Redis 7.0's clearClientConnectionState) and replies
 * +RESET: leaves MULTI and forgets WATCHed keys, drops every Pub/Sub subscription without
 * confirmations, selects database 0, switches back to RESP2, clears the client name, and
 * re-applies the default authentication (a client must AUTH again when requirepass is set),
 * stops MONITOR and turns CLIENT TRACKING off. Runs
 * unauthenticated, inside MULTI (never queued) and while subscribed in RESP2. Our master's link
 * and our replicas' connections are refused ("can only reset normal client connections").
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
  doc: { summary: 'Reset the connection', since: '6.2.0', group: 'connection', complexity: 'O(1)' },
  parse: () => null,
  execute(ctx) {
    const { client, node } = ctx;
    if (client.isMaster || node.master.isReplicaClient(client)) {
      return new ErrorReply('ERR can only reset normal client connections');
    }
    // A monitor stops monitoring (clearClientConnectionState).
    node.monitors.delete(client);
    discardTransaction(node, client);
    node.pubsub.removeClient(client);
    // Client-side caching stops (clearClientConnectionState's disableTracking).
    node.tracking.disable(client);
    client.dbIndex = 0;
    client.reply.protocol = 2;
    client.name = '';
    // clientSetDefaultAuth: authenticated exactly when the default user needs no password.
    client.aclUser = undefined;
    client.authenticated = !node.acl.defaultNeedsAuth();
    if (!client.authenticated) client.parser.authRequired = true;
    ctx.reply.simple('RESET');
    return undefined;
  },
});
