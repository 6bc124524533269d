/**
 * The shape every command file exports, and the context a command runs in.
 *
 * A command file defines one `CommandSpec` (mini-redis style): its metadata (the table and COMMAND
 * INFO/DOCS read it), `parse` (argv to typed arguments, or an error reply) and `execute` (runs against
 * the node and writes the reply). Specs never check arity, authentication or unknown names: the
 * dispatcher does that centrally, in Redis's order (dispatch.ts).
 */
import type { ReplyWriter } from '@replisim/protocol';
import type { Client } from '../client.js';
import type { Database } from '../keyspace/database.js';
import type { ServerNode } from '../node.js';

/** Redis's command flags that matter to the dispatcher and to COMMAND INFO. */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'allow_busy'
  | 'movablekeys'
  | 'no_async_loading'
  | 'asking'
  /** replisim: never propagate, even if the dirty counter moved (Redis's CMD_CALL_NOWRAP-like uses). */
  | 'no_propagate';

/** An error reply, as a value: `new ErrorReply('ERR syntax error')`. */
export class ErrorReply {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** The first, last and step key positions of COMMAND INFO (0 0 0 for no keys, -1 last = to end). */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

export interface CommandDoc {
  readonly summary: string;
  readonly since: string;
  /** Redis's group: string, generic, connection, server, ... */
  readonly group: string;
  readonly complexity: string;
}

export interface CommandMeta {
  /** Lower-case name; subcommands use the bare subcommand name (`get` under `config`). */
  readonly name: string;
  /** Redis arity: n means exactly n words including the name, -n means at least n. */
  readonly arity: number;
  /** The arguments after the name, in the notation of syntax.ts; COMMAND DOCS derives from it. */
  readonly syntax: string;
  readonly flags: readonly CommandFlag[];
  readonly aclCategories: readonly string[];
  readonly keys: KeyPositions;
  /**
   * For commands whose keys are not at fixed positions (numkeys, STORE...; Redis's movablekeys):
   * the argv indexes of the keys, for COMMAND GETKEYS and a running BGSAVE's copy-on-write.
   */
  readonly keyIndexes?: (argv: readonly Buffer[]) => number[];
  /**
   * The key-spec flags of the key at argv `index` (COMMAND GETKEYSANDFLAGS), where they differ
   * from the default (RW access update for a write command, RO access for a read).
   */
  readonly keyFlags?: (index: number, argv: readonly Buffer[]) => readonly string[];
  readonly doc: CommandDoc;
}

/**
 * What a command sees while it runs. One `nowMs` per command (one per EXEC for a transaction): a
 * command sees one instant.
 *
 * Changes are reported, never inferred: a command that changed a key calls `modified(key)` (WATCH,
 * dirty counter). If the dirty counter moved, the dispatcher propagates the command as received,
 * unless the command called `propagateAs` with its deterministic form (SET EX -> SET PXAT,
 * EXPIRE -> PEXPIREAT, GETDEL -> DEL...). `alsoPropagate` adds further operations; several operations
 * from one command go out wrapped in MULTI/EXEC.
 */
export interface CommandContext {
  readonly node: ServerNode;
  readonly client: Client;
  readonly db: Database;
  readonly reply: ReplyWriter;
  readonly nowMs: number;
  /** Reports that `key` changed: invalidates WATCH, adds `changes` (default 1) to the dirty counter. */
  modified(key: string, changes?: number): void;
  /** Propagates `argv` instead of the command as received (only if something changed). */
  propagateAs(argv: readonly (Buffer | string)[]): void;
  /** Propagates the command even if the dirty counter did not move (FLUSHALL on an empty node). */
  forcePropagation(): void;
  /** Propagates `argv` in addition to (before) the command's own operation. */
  alsoPropagate(argv: readonly (Buffer | string)[]): void;
}

export interface CommandSpec<Args> extends CommandMeta {
  /** argv[0] is the command name (argv[1] the subcommand for subcommands). */
  parse(argv: readonly Buffer[], ctx: CommandContext): Args | ErrorReply;
  /** Writes the reply, or returns an error for the dispatcher to send (and count). */
  execute(ctx: CommandContext, args: Args): ErrorReply | undefined;
}

/** A command ready for the table: the spec with its argument type erased. */
export interface Command extends CommandMeta {
  /** `parent|name` for subcommands, else the name (as in arity errors and COMMAND INFO). */
  readonly fullName: string;
  readonly subcommands: ReadonlyMap<string, Command>;
  run(ctx: CommandContext, argv: readonly Buffer[]): ErrorReply | undefined;
}

export const NO_KEYS: KeyPositions = { first: 0, last: 0, step: 0 };
export const ONE_KEY: KeyPositions = { first: 1, last: 1, step: 1 };
export const ALL_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };

/** Erases a spec's argument type, keeping parse and execute paired. */
export function defineCommand<Args>(spec: CommandSpec<Args>): Command {
  return {
    name: spec.name,
    arity: spec.arity,
    syntax: spec.syntax,
    flags: spec.flags,
    aclCategories: spec.aclCategories,
    keys: spec.keys,
    ...(spec.keyIndexes === undefined ? {} : { keyIndexes: spec.keyIndexes }),
    ...(spec.keyFlags === undefined ? {} : { keyFlags: spec.keyFlags }),
    doc: spec.doc,
    fullName: spec.name,
    subcommands: new Map(),
    run(ctx, argv) {
      const args = spec.parse(argv, ctx);
      return args instanceof ErrorReply ? args : spec.execute(ctx, args);
    },
  };
}

/**
 * A container command (CONFIG, CLIENT, COMMAND): the dispatcher picks the subcommand from argv[1].
 * Without `bare`, a missing subcommand is an arity error; COMMAND alone runs `bare` instead.
 */
export function defineContainer(
  meta: Omit<CommandMeta, 'arity' | 'keys' | 'syntax'>,
  subcommands: readonly Command[],
  bare?: Command,
): Command {
  const children = new Map<string, Command>();
  for (const sub of subcommands) {
    children.set(sub.name, { ...sub, fullName: `${meta.name}|${sub.name}` });
  }
  return {
    ...meta,
    arity: bare === undefined ? -2 : -1,
    syntax: '',
    keys: NO_KEYS,
    fullName: meta.name,
    subcommands: children,
    run(ctx, argv) {
      if (bare !== undefined) return bare.run(ctx, argv);
      return new ErrorReply(`ERR wrong number of arguments for '${meta.name}' command`);
    },
  };
}
