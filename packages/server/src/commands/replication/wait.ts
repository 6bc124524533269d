/**
 * WAIT numreplicas timeout
 *
 * Blocks until `numreplicas` replicas have acknowledged every write this client made (the stream
 * offset after its last propagated command), or `timeout` ms pass (0 = forever), and replies with
 * how many had acknowledged (reference §3.6). It answers at once when enough already have, or
 * inside MULTI. While it blocks, one REPLCONF GETACK * goes to the replicas at the end of the event
 * for every waiting client together. On a replica: an error, since writes there are not propagated.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const ON_REPLICA = new ErrorReply(
  'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
);
const TIMEOUT_NOT_INTEGER = new ErrorReply('ERR timeout is not an integer or out of range');
const TIMEOUT_NEGATIVE = new ErrorReply('ERR timeout is negative');

export const wait: Command = defineCommand<readonly Buffer[]>({
  name: 'wait',
  arity: 3,
  syntax: 'numreplicas:integer timeout:integer',
  flags: ['noscript'],
  aclCategories: ['@slow', '@connection'],
  keys: NO_KEYS,
  doc: {
    summary:
      'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
    since: '3.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const node = ctx.node;
    if (node.replicaLink !== undefined) return ON_REPLICA;
    const wanted = parseInt64(argv[1]);
    if (wanted === undefined) return NOT_INTEGER;
    const timeout = parseInt64(argv[2]);
    if (timeout === undefined) return TIMEOUT_NOT_INTEGER;
    if (timeout < 0n) return TIMEOUT_NEGATIVE;
    const offset = ctx.client.woff;
    const acked = node.master.countAcks(offset);
    if (BigInt(acked) >= wanted || ctx.client.denyBlocking) {
      ctx.reply.integer(acked);
      return undefined;
    }
    node.master.waits.block(ctx.client, offset, Number(wanted), Number(timeout));
    return undefined;
  },
});
