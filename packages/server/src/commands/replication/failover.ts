/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]: a coordinated hand-over from
 * this master to one of its replicas (replication/failover.ts does the work). The arguments and
 * refusals are Redis 7.0's failoverCommand, in its order: ABORT alone first; then the options
 * (each at most once, TIMEOUT > 0, TO's port an integer, anything else a syntax error); then
 * "already in progress", "not valid when server is a replica", "requires connected replicas",
 * FORCE without both a timeout and a target, a target that is not a connected replica, and a
 * target that is not online yet.
 */
import { NOT_INTEGER, parseSafeInteger, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

type Args =
  | { readonly kind: 'abort' }
  | {
      readonly kind: 'start';
      readonly target: { readonly host: string; readonly port: number } | undefined;
      readonly timeoutMs: number;
      readonly force: boolean;
    };

function parse(argv: readonly Buffer[]): Args | ErrorReply {
  const word = (i: number) => (argv[i] ?? Buffer.alloc(0)).toString('latin1');
  if (argv.length === 2 && word(1).toLowerCase() === 'abort') return { kind: 'abort' };
  let timeoutMs = 0;
  let force = false;
  let target: { host: string; port: number } | undefined;
  for (let j = 1; j < argv.length; j++) {
    const option = word(j).toLowerCase();
    if (option === 'timeout' && j + 1 < argv.length && timeoutMs === 0) {
      const value = parseSafeInteger(argv[j + 1]);
      if (value === undefined) return NOT_INTEGER;
      if (value <= 0) return new ErrorReply('ERR FAILOVER timeout must be greater than 0');
      timeoutMs = value;
      j++;
    } else if (option === 'to' && j + 2 < argv.length && target === undefined) {
      const port = parseSafeInteger(argv[j + 2]);
      if (port === undefined) return NOT_INTEGER;
      target = { host: word(j + 1), port };
      j += 2;
    } else if (option === 'force' && !force) {
      force = true;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { kind: 'start', target, timeoutMs, force };
}

export const failover: Command = defineCommand<Args>({
  name: 'failover',
  arity: -1,
  syntax: '[TO host port:integer [FORCE]] [ABORT] [TIMEOUT milliseconds:integer]',
  flags: ['admin', 'noscript', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Start a coordinated failover between this server and one of its replicas.',
    since: '6.2.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse,
  execute(ctx, args) {
    const node = ctx.node;
    const failover = node.failover;
    if (args.kind === 'abort') {
      if (failover.state === 'no-failover') return new ErrorReply('ERR No failover in progress.');
      failover.abort('Failover manually aborted');
      ctx.reply.simple('OK');
      return undefined;
    }
    if (failover.state !== 'no-failover') {
      return new ErrorReply('ERR FAILOVER already in progress.');
    }
    if (node.replicaLink !== undefined) {
      return new ErrorReply('ERR FAILOVER is not valid when server is a replica.');
    }
    if (node.master.replicas.length === 0) {
      return new ErrorReply('ERR FAILOVER requires connected replicas.');
    }
    if (args.force && (args.timeoutMs === 0 || args.target === undefined)) {
      return new ErrorReply(
        'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
      );
    }
    if (args.target !== undefined) {
      const replica = failover.findReplica(args.target.host, args.target.port);
      if (replica === undefined) {
        return new ErrorReply('ERR FAILOVER target HOST and PORT is not a replica.');
      }
      if (replica.state !== 'online') {
        return new ErrorReply('ERR FAILOVER target replica is not online.');
      }
    }
    failover.start(args);
    ctx.reply.simple('OK');
    return undefined;
  },
});
