/**
 * CLIENT ID | SETNAME name | GETNAME | LIST [TYPE type] [ID id ...] | INFO | KILL ... | SETINFO
 * LIB-NAME|LIB-VER value | HELP
 *
 * Connection introspection and control. CLIENT LIST prints Redis 7.0.15's fields in its order; the
 * memory figures (qbuf, omem, tot-mem) are this process's buffer sizes. SETINFO is Redis 7.2's
 * (ioredis 6 sends it); the names it sets are appended to CLIENT LIST as 7.2 does, only when set.
 * TRACKING, CACHING, GETREDIR and TRACKINGINFO (client-side caching) are in client-tracking.ts.
 */
import type { User } from '../../acl/user.js';
import type { Client } from '../../client.js';
import type { PauseType } from '../../client-pause.js';
import { BlockingRegistry } from '../../keyspace/blocking.js';
import type { ServerNode } from '../../node.js';
import {
  isKeyword,
  NOT_INTEGER,
  parseInt64,
  SYNTAX_ERROR,
  subcommandSyntaxError,
} from '../errors.js';
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import { helpCommand } from '../server/help.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';
import { validateClientName } from './client-name.js';
import { caching, getredir, tracking, trackinginfo } from './client-tracking.js';

const CONNECTION = ['@slow', '@connection'] as const;
const doc = (summary: string, since: string) => ({
  summary,
  since,
  group: 'connection',
  complexity: 'O(1)',
});

/**
 * CLIENT LIST's flags letters, in Redis's order (catClientInfoString): S a replica of ours, M our
 * master, P subscribed to Pub/Sub, x in MULTI, b blocked (BLPOP..., or held by CLIENT PAUSE), t
 * CLIENT TRACKING on, R its redirect client went away, B tracking in BCAST mode, d a watched key
 * changed, e CLIENT NO-EVICT on; else N.
 */
function clientFlags(node: ServerNode, client: Client): string {
  const role = node.master.isReplicaClient(client) ? 'S' : client.isMaster ? 'M' : '';
  const flags =
    role +
    (client.subscriptions.total > 0 ? 'P' : '') +
    (client.transaction !== undefined ? 'x' : '') +
    (client.blocked || client.postponed ? 'b' : '') +
    (client.tracking.on ? 't' : '') +
    (client.tracking.brokenRedirect ? 'R' : '') +
    (client.tracking.bcast ? 'B' : '') +
    (client.watchDirty ? 'd' : '') +
    (client.noEvict ? 'e' : '');
  return flags === '' ? 'N' : flags;
}

/** getClientType: our master, our replica, a Pub/Sub subscriber, or normal. */
function clientTypeOf(node: ServerNode, client: Client): ClientType {
  if (client.isMaster) return 'master';
  if (node.master.isReplicaClient(client)) return 'replica';
  return client.subscriptions.total > 0 ? 'pubsub' : 'normal';
}

/** One CLIENT LIST line for `client`, as Redis 7.0's catClientInfoString writes it. */
export function clientInfoLine(node: ServerNode, client: Client): string {
  const nowMs = node.env.clock.monotonicMs();
  const ageSeconds = Math.floor((nowMs - client.createdMs) / 1000);
  const idleSeconds = Math.floor((nowMs - client.lastInteractionMs) / 1000);
  const qbuf = client.parser.bufferedBytes();
  const omem = client.connection.bufferedBytes();
  const fields = [
    `id=${client.id}`,
    `addr=${client.address()}`,
    `laddr=${client.localAddress()}`,
    `fd=${client.id + 7}`,
    `name=${client.name}`,
    `age=${ageSeconds}`,
    `idle=${idleSeconds}`,
    `flags=${clientFlags(node, client)}`,
    `db=${client.dbIndex}`,
    `sub=${client.subscriptions.channels.size}`,
    `psub=${client.subscriptions.patterns.size}`,
    `ssub=${client.subscriptions.shardChannels.size}`,
    `multi=${client.transaction === undefined ? -1 : client.transaction.commands.length}`,
    `qbuf=${qbuf}`,
    'qbuf-free=0',
    'argv-mem=0',
    `multi-mem=${client.transaction?.memoryBytes ?? 0}`,
    'rbs=1024',
    'rbp=0',
    'obl=0',
    'oll=0',
    `omem=${omem}`,
    `tot-mem=${qbuf + omem + 1024}`,
    'events=r',
    `cmd=${client.lastCommand}`,
    `user=${client.aclUser?.name ?? 'default'}`,
    `redir=${client.tracking.on ? client.tracking.redirect : -1}`,
    `resp=${client.protocol}`,
  ];
  if (client.libName !== '') fields.push(`lib-name=${client.libName}`);
  if (client.libVersion !== '') fields.push(`lib-ver=${client.libVersion}`);
  return fields.join(' ');
}

const id = defineCommand<null>({
  name: 'id',
  arity: 2,
  syntax: '',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Returns the client ID for the current connection', '5.0.0'),
  parse: () => null,
  execute(ctx) {
    ctx.reply.integer(ctx.client.id);
    return undefined;
  },
});

const setname = defineCommand<Buffer>({
  name: 'setname',
  arity: 3,
  syntax: 'connection-name',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Set the current connection name', '2.6.9'),
  parse: (argv) => argv[2] ?? Buffer.alloc(0),
  execute(ctx, name) {
    const invalid = validateClientName(name);
    if (invalid !== undefined) return invalid;
    ctx.client.name = name.toString('latin1');
    ctx.reply.simple('OK');
    return undefined;
  },
});

const getname = defineCommand<null>({
  name: 'getname',
  arity: 2,
  syntax: '',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Get the current connection name', '2.6.9'),
  parse: () => null,
  execute(ctx) {
    if (ctx.client.name === '') ctx.reply.nullBulk();
    else ctx.reply.bulk(Buffer.from(ctx.client.name, 'latin1'));
    return undefined;
  },
});

const setinfo = defineCommand<{ field: 'lib-name' | 'lib-ver'; value: string }>({
  name: 'setinfo',
  arity: 4,
  syntax: '(LIB-NAME libname|LIB-VER libver)',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Set client or connection specific info', '7.2.0'),
  parse(argv) {
    const value = (argv[3] ?? Buffer.alloc(0)).toString('latin1');
    const field = isKeyword(argv[2], 'lib-name')
      ? 'lib-name'
      : isKeyword(argv[2], 'lib-ver')
        ? 'lib-ver'
        : undefined;
    if (field === undefined) {
      return new ErrorReply(
        `ERR Unrecognized option '${(argv[2] ?? Buffer.alloc(0)).toString('latin1')}'`,
      );
    }
    if (/[^!-~]/.test(value)) {
      return new ErrorReply(`ERR ${field} cannot contain spaces, newlines or special characters.`);
    }
    return { field, value };
  },
  execute(ctx, { field, value }) {
    if (field === 'lib-name') ctx.client.libName = value;
    else ctx.client.libVersion = value;
    ctx.reply.simple('OK');
    return undefined;
  },
});

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

function parseClientType(arg: Buffer | undefined): ClientType | undefined {
  const name = (arg ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
  if (name === 'slave') return 'replica';
  return name === 'normal' || name === 'master' || name === 'replica' || name === 'pubsub'
    ? name
    : undefined;
}

const list = defineCommand<{ type: ClientType | undefined; ids: bigint[] | undefined }>({
  name: 'list',
  arity: -2,
  syntax: '[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id:integer [client-id:integer ...]]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  keys: NO_KEYS,
  doc: {
    ...doc('Get the list of client connections', '2.4.0'),
    complexity: 'O(N) where N is the number of client connections',
  },
  parse(argv) {
    if (argv.length === 2) return { type: undefined, ids: undefined };
    if (argv.length === 4 && isKeyword(argv[2], 'type')) {
      const type = parseClientType(argv[3]);
      if (type === undefined) {
        return new ErrorReply(
          `ERR Unknown client type '${(argv[3] ?? Buffer.alloc(0)).toString('latin1')}'`,
        );
      }
      return { type, ids: undefined };
    }
    if (argv.length >= 4 && isKeyword(argv[2], 'id')) {
      // Redis takes any 64-bit integer here and lists the ids that exist.
      const ids: bigint[] = [];
      for (const arg of argv.slice(3)) {
        const value = parseInt64(arg);
        if (value === undefined) return new ErrorReply('ERR Invalid client ID');
        ids.push(value);
      }
      return { type: undefined, ids };
    }
    return SYNTAX_ERROR;
  },
  execute(ctx, { type, ids }) {
    const lines: string[] = [];
    const clients =
      ids === undefined
        ? [...ctx.node.clients.values()]
        : ids.flatMap((clientId) => {
            const found = ctx.node.clients.get(Number(clientId));
            return found === undefined ? [] : [found];
          });
    for (const client of clients) {
      if (type !== undefined && type !== clientTypeOf(ctx.node, client)) continue;
      lines.push(`${clientInfoLine(ctx.node, client)}\n`);
    }
    ctx.reply.verbatim(lines.join(''));
    return undefined;
  },
});

const info = defineCommand<null>({
  name: 'info',
  arity: 2,
  syntax: '',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Returns information about the current client connection.', '6.2.0'),
  parse: () => null,
  execute(ctx) {
    ctx.reply.verbatim(`${clientInfoLine(ctx.node, ctx.client)}\n`);
    return undefined;
  },
});

interface KillFilter {
  id?: bigint;
  addr?: string;
  laddr?: string;
  type?: ClientType;
  /** USER: the clients authenticated as this ACL user. */
  user?: User;
  skipMe: boolean;
}

const CLIENT_ID_ERROR = new ErrorReply('ERR client-id should be greater than 0');

/**
 * Parses the `<option> <value>` pairs of the new CLIENT KILL form in order, as 7.0's
 * clientKillCommand: the first bad pair decides the error, and an option without a value is a syntax
 * error only when the parser reaches it. (MAXAGE arrived in Redis 7.4; 7.0 rejects it.)
 */
function parseKillFilter(argv: readonly Buffer[], node: ServerNode): KillFilter | ErrorReply {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    const text = value.toString('latin1');
    if (isKeyword(argv[i], 'id')) {
      const parsed = parseInt64(value);
      if (parsed === undefined || parsed < 1n) return CLIENT_ID_ERROR;
      filter.id = parsed;
    } else if (isKeyword(argv[i], 'type')) {
      const type = parseClientType(value);
      if (type === undefined) return new ErrorReply(`ERR Unknown client type '${text}'`);
      filter.type = type;
    } else if (isKeyword(argv[i], 'addr')) {
      filter.addr = text;
    } else if (isKeyword(argv[i], 'laddr')) {
      filter.laddr = text;
    } else if (isKeyword(argv[i], 'user')) {
      const user = node.acl.users.get(text);
      if (user === undefined) return new ErrorReply(`ERR No such user '${text}'`);
      filter.user = user;
    } else if (isKeyword(argv[i], 'skipme')) {
      if (isKeyword(value, 'yes')) filter.skipMe = true;
      else if (isKeyword(value, 'no')) filter.skipMe = false;
      else return SYNTAX_ERROR;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return filter;
}

/** CLIENT KILL ip:port (old form, replies +OK) or CLIENT KILL <filter> <value> ... (counts). */
const kill = defineCommand<{ oldForm: boolean; filter: KillFilter }>({
  name: 'kill',
  arity: -3,
  syntax:
    '[ip-port] [ID client-id:integer] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] [ADDR ip-port] [LADDR ip-port] [SKIPME yes-no] [MAXAGE maxage:integer]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  keys: NO_KEYS,
  doc: {
    ...doc('Kill the connection of a client', '2.4.0'),
    complexity: 'O(N) where N is the number of client connections',
  },
  parse(argv, ctx) {
    if (argv.length === 3) {
      return {
        oldForm: true,
        filter: { addr: (argv[2] ?? Buffer.alloc(0)).toString('latin1'), skipMe: false },
      };
    }
    const filter = parseKillFilter(argv, ctx.node);
    return filter instanceof ErrorReply ? filter : { oldForm: false, filter };
  },
  execute(ctx, { oldForm, filter }) {
    const victims = [...ctx.node.clients.values()].filter((client) => {
      if (filter.skipMe && client === ctx.client) return false;
      if (filter.id !== undefined && BigInt(client.id) !== filter.id) return false;
      if (filter.addr !== undefined && client.address() !== filter.addr) return false;
      if (filter.laddr !== undefined && client.localAddress() !== filter.laddr) return false;
      if (filter.type !== undefined && filter.type !== clientTypeOf(ctx.node, client)) return false;
      if (filter.user !== undefined && ctx.node.acl.userOf(client) !== filter.user) return false;
      return true;
    });
    if (oldForm && victims.length === 0) return new ErrorReply('ERR No such client');
    for (const victim of victims) {
      // The caller's own connection closes after this reply is flushed, as in Redis.
      if (victim === ctx.client) victim.closing = true;
      else ctx.node.closeClient(victim);
    }
    if (oldForm) ctx.reply.simple('OK');
    else ctx.reply.integer(victims.length);
    return undefined;
  },
});

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked on keys (BLPOP...) or in
 * WAIT, as if it timed out or with `-UNBLOCKED`; replies 1 if there was such a client, else 0.
 * The reason is checked before the id, as in Redis.
 */
const unblock = defineCommand<{ id: number; error: boolean }>({
  name: 'unblock',
  arity: -3,
  syntax: 'client-id [TIMEOUT|ERROR]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  keys: NO_KEYS,
  doc: {
    ...doc('Unblock a client blocked in a blocking command from a different connection', '5.0.0'),
    complexity: 'O(log N) where N is the number of client connections',
  },
  parse(argv) {
    if (argv.length > 4) return subcommandSyntaxError(argv);
    let error = false;
    const reason = argv[3]?.toString('latin1').toLowerCase();
    if (reason === 'error') error = true;
    else if (reason !== undefined && reason !== 'timeout') {
      return new ErrorReply('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    }
    const word = (argv[2] ?? Buffer.alloc(0)).toString('latin1');
    const id = Number(word);
    if (!/^-?(0|[1-9][0-9]*)$/.test(word) || !Number.isSafeInteger(id)) {
      return NOT_INTEGER;
    }
    return { id, error };
  },
  execute(ctx, { id, error }) {
    const node = ctx.node;
    const target = node.clients.get(id);
    let done = false;
    if (target !== undefined && target.blocked) {
      done =
        node.blocking.unblock(target, (blocked) => {
          if (error) node.replyError(blocked, UNBLOCKED_ERROR);
          else BlockingRegistry.timeoutReply(blocked);
        }) || node.master.waits.unblock(target, error ? UNBLOCKED_ERROR : undefined);
    }
    ctx.reply.integer(done ? 1 : 0);
    return undefined;
  },
});

/**
 * CLIENT PAUSE timeout [WRITE|ALL]: holds back every command (ALL, the default) or those that may
 * replicate (WRITE) for `timeout` milliseconds (client-pause.ts). The mode is checked before the
 * timeout, and a timeout of 0 pauses nothing, as in Redis.
 */
const pause = defineCommand<{ timeoutMs: bigint; type: PauseType }>({
  name: 'pause',
  arity: -3,
  syntax: 'timeout [WRITE|ALL]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  keys: NO_KEYS,
  doc: {
    ...doc('Stop processing commands from clients for some time', '2.9.50'),
    complexity: 'O(1)',
  },
  parse(argv) {
    if (argv.length > 4) return subcommandSyntaxError(argv);
    let type: PauseType = 'all';
    if (argv.length === 4) {
      if (isKeyword(argv[3], 'write')) type = 'write';
      else if (!isKeyword(argv[3], 'all')) {
        return new ErrorReply('ERR CLIENT PAUSE mode must be WRITE or ALL');
      }
    }
    const timeoutMs = parseInt64(argv[2]);
    if (timeoutMs === undefined)
      return new ErrorReply('ERR timeout is not an integer or out of range');
    if (timeoutMs < 0n) return new ErrorReply('ERR timeout is negative');
    return { timeoutMs, type };
  },
  execute(ctx, { timeoutMs, type }) {
    // getTimeoutFromObjectOrReply: a positive timeout becomes a deadline, 0 stays 0 (already past).
    const endMs = timeoutMs > 0n ? ctx.node.env.clock.wallMs() + Number(timeoutMs) : 0;
    ctx.node.clientPause.pause('client-command', endMs, type);
    ctx.reply.simple('OK');
    return undefined;
  },
});

/** CLIENT UNPAUSE: ends CLIENT PAUSE's pause (a failover's pause stays). */
const unpause = defineNoArgSubcommand({
  name: 'unpause',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  doc: {
    ...doc('Resume processing of clients that were paused', '6.2.0'),
    complexity: 'O(N) Where N is the number of paused clients',
  },
  execute(ctx) {
    ctx.node.clientPause.unpause('client-command');
    ctx.reply.simple('OK');
    return undefined;
  },
});

/**
 * CLIENT REPLY ON|OFF|SKIP: OFF silences every reply and message to this connection until ON
 * (whose +OK is sent); SKIP silences the next command's reply only. OFF and SKIP reply nothing
 * themselves, and a bad mode's syntax error is silenced too while replies are off.
 */
const reply = defineCommand<'on' | 'off' | 'skip' | null>({
  name: 'reply',
  arity: 3,
  syntax: '(ON|OFF|SKIP)',
  flags: ['noscript', 'loading', 'stale'],
  aclCategories: ['@slow', '@connection'],
  keys: NO_KEYS,
  doc: doc('Instruct the server whether to reply to commands', '3.2.0'),
  parse(argv) {
    for (const mode of ['on', 'off', 'skip'] as const) if (isKeyword(argv[2], mode)) return mode;
    return null;
  },
  execute(ctx, mode) {
    const client = ctx.client;
    if (mode === null) return SYNTAX_ERROR;
    if (mode === 'on') {
      client.repliesOff = false;
      client.replySkip = false;
      ctx.reply.simple('OK');
    } else if (mode === 'off') {
      client.repliesOff = true;
    } else if (!client.repliesOff) {
      client.replySkipNext = true;
    }
    return undefined;
  },
});

/**
 * CLIENT NO-EVICT ON|OFF: marks the connection as exempt from client eviction (CLIENT LIST's `e`).
 * replisim evicts no clients for maxmemory-clients, so the mark changes nothing else.
 */
const noEvict = defineCommand<boolean | null>({
  name: 'no-evict',
  arity: 3,
  syntax: '(ON|OFF)',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous', '@connection'],
  keys: NO_KEYS,
  doc: doc('Set client eviction mode for the current connection', '7.0.0'),
  parse(argv) {
    if (isKeyword(argv[2], 'on')) return true;
    if (isKeyword(argv[2], 'off')) return false;
    return null;
  },
  execute(ctx, on) {
    if (on === null) return SYNTAX_ERROR;
    ctx.client.noEvict = on;
    ctx.reply.simple('OK');
    return undefined;
  },
});

const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

export const client: Command = defineContainer(
  {
    name: 'client',
    flags: ['sentinel'],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for client connection commands',
      since: '2.4.0',
      group: 'connection',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    id,
    setname,
    getname,
    setinfo,
    list,
    info,
    kill,
    unblock,
    caching,
    getredir,
    tracking,
    trackinginfo,
    pause,
    unpause,
    reply,
    noEvict,
    // Redis 7.0's lines for the subcommands replisim has, in Redis's order; SETINFO (7.2) last.
    helpCommand('CLIENT', [
      'CACHING (YES|NO)',
      '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
      'GETREDIR',
      '    Return the client ID we are redirecting to when tracking is enabled.',
      'GETNAME',
      '    Return the name of the current connection.',
      'ID',
      '    Return the ID of the current connection.',
      'INFO',
      '    Return information about the current client connection.',
      'KILL <ip:port>',
      '    Kill connection made from <ip:port>.',
      'KILL <option> <value> [<option> <value> [...]]',
      '    Kill connections. Options are:',
      '    * ADDR (<ip:port>|<unixsocket>:0)',
      '      Kill connections made from the specified address',
      '    * LADDR (<ip:port>|<unixsocket>:0)',
      '      Kill connections made to specified local address',
      '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
      '      Kill connections by type.',
      '    * USER <username>',
      '      Kill connections authenticated by <username>.',
      '    * SKIPME (YES|NO)',
      '      Skip killing current connection (default: yes).',
      'LIST [options ...]',
      '    Return information about client connections. Options:',
      '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
      '      Return clients of specified type.',
      'UNPAUSE',
      '    Stop the current client pause, resuming traffic.',
      'PAUSE <timeout> [WRITE|ALL]',
      '    Suspend all, or just write, clients for <timeout> milliseconds.',
      'REPLY (ON|OFF|SKIP)',
      '    Control the replies sent to the current connection.',
      'SETNAME <name>',
      '    Assign the name <name> to the current connection.',
      'UNBLOCK <clientid> [TIMEOUT|ERROR]',
      '    Unblock the specified blocked client.',
      'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
      '         [OPTIN] [OPTOUT] [NOLOOP]',
      '    Control server assisted client side caching.',
      'TRACKINGINFO',
      '    Report tracking status for the current connection.',
      'NO-EVICT (ON|OFF)',
      '    Protect current client connection from eviction.',
      'SETINFO <LIB-NAME|LIB-VER> <value>',
      '    Set client library name or version.',
    ]),
  ],
);
