/**
 * One client connection: its parser, its reply buffer and its session state (selected database,
 * name, authentication, protocol version). The node owns the list of clients; client-io.ts moves
 * bytes between the connection and the dispatcher.
 */
import type { Connection, TimerId } from '@replisim/base';
import { ReplyWriter, type RequestParser } from '@replisim/protocol';
import type { User } from './acl/user.js';
import type { Transaction } from './commands/transactions/transaction.js';
import { ClientSubscriptions } from './pubsub/pubsub.js';
import { ClientTracking } from './tracking/client-state.js';

/** Initial reply buffer per client; it grows on demand and shrinks back after each flush. */
const REPLY_BYTES_INITIAL = 1024;

export class Client {
  readonly id: number;
  readonly connection: Connection;
  readonly parser: RequestParser;
  readonly reply: ReplyWriter;
  readonly createdMs: number;
  lastInteractionMs: number;
  dbIndex = 0;
  name = '';
  libName = '';
  libVersion = '';
  private authenticatedFlag = false;
  /** Full name of the last command run, for CLIENT LIST's `cmd=`. */
  lastCommand = 'NULL';
  /** Set by QUIT, CLIENT KILL or a protocol error: no more commands are read; close after flush. */
  closing = false;
  /** Set when a key this client WATCHes changes; EXEC then fails (watch-registry.ts). */
  watchDirty = false;
  /** The queued transaction between MULTI and EXEC/DISCARD (commands/transactions/). */
  transaction: Transaction | undefined = undefined;
  /** When the output buffer first passed the soft limit (monotonic ms), or -1 while below it. */
  softLimitSinceMs = -1;
  /** The next turn, scheduled when this client used up its turn with requests left (client-io.ts). */
  turnTimer: TimerId | undefined = undefined;
  /** The drain poll while this client is paused for unsent output (client-io.ts). */
  outputPauseTimer: TimerId | undefined = undefined;
  /** Whether reading from the connection is paused (for a pending turn or unsent output). */
  readingPaused = false;
  /** Lists engineer: true while a blocking command waits (keyspace/blocking.ts sets and clears
   * it); client-io.ts runs none of the client's further requests meanwhile. */
  blocked = false;
  /** Redis's CLIENT_DENY_BLOCKING: set while EXEC runs the queue, so blocking commands behave as
   * non-blocking (reply a null at once instead of blocking). */
  denyBlocking = false;
  /** True while a command that finishes later (SHUTDOWN's final save, DEBUG RELOAD) has not
   * replied; client-io.ts runs none of the client's further requests meanwhile, and
   * `resumeSuspendedClient` (client-io.ts) ends the wait. */
  suspended = false;
  /** CLIENT REPLY OFF: nothing is sent to this connection until CLIENT REPLY ON. */
  repliesOff = false;
  /** CLIENT REPLY SKIP: the reply of the command running now is dropped (Redis's REPLY_SKIP). */
  replySkip = false;
  /** CLIENT REPLY SKIP was just run: the next command's reply is dropped (REPLY_SKIP_NEXT). */
  replySkipNext = false;
  /** CLIENT NO-EVICT ON (CLIENT LIST's `e`). */
  noEvict = false;
  /** True while a CLIENT PAUSE (or a failover's pause) holds this client's command (client-pause.ts). */
  postponed = false;
  /** The command a pause postponed: client-io.ts runs it first once the client is released. */
  pendingCommand: readonly Buffer[] | undefined = undefined;
  /** master_repl_offset right after this client's last command that propagated (Redis's woff):
   * what WAIT waits for replicas to acknowledge. */
  woff = 0;
  /** The replication link from this node's master (Redis's CLIENT_MASTER): created by
   * replication/replica-host.ts; it passes READONLY, MISCONF and auth, and gets no replies. */
  isMaster = false;
  /** The ACL user this connection runs as (acl/acl.ts); undefined is the `default` user. */
  aclUser: User | undefined = undefined;
  /** Pub/Sub channels, patterns and shard channels (pubsub/pubsub.ts); any puts it in pubsub mode. */
  readonly subscriptions: ClientSubscriptions = new ClientSubscriptions();
  /** CLIENT TRACKING's mode for this client (tracking/tracking.ts holds the tables). */
  readonly tracking: ClientTracking = new ClientTracking();

  constructor(
    id: number,
    connection: Connection,
    parser: RequestParser,
    nowMs: number,
    authenticated: boolean,
  ) {
    this.id = id;
    this.connection = connection;
    this.parser = parser;
    this.reply = new ReplyWriter(REPLY_BYTES_INITIAL);
    this.createdMs = nowMs;
    this.lastInteractionMs = nowMs;
    this.authenticated = authenticated;
  }

  /** Whether the client passed AUTH (or needs none). Until then the parser applies Redis's tighter
   * limits for unauthenticated clients (multibulk count <= 10, bulk length <= 16384). */
  get authenticated(): boolean {
    return this.authenticatedFlag;
  }

  set authenticated(value: boolean) {
    this.authenticatedFlag = value;
    if (value) this.parser.authRequired = false;
  }

  get protocol(): 2 | 3 {
    return this.reply.protocol;
  }

  /** `ip:port` of the peer, as CLIENT LIST's addr field. */
  address(): string {
    return formatAddress(this.connection.remoteAddress, this.connection.remotePort);
  }

  localAddress(): string {
    return formatAddress(this.connection.localAddress, this.connection.localPort);
  }
}

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
