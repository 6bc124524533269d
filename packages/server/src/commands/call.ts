/**
 * Running one command with its side channels, as Redis's call(): a fresh context with one `nowMs`,
 * the command's own reply, and afterwards propagation of what it changed. A top-level command opens
 * and closes a propagation call; commands run by EXEC share EXEC's, so a transaction's changes go out
 * as one MULTI ... EXEC block.
 */
import type { Client } from '../client.js';
import { flushClient } from '../client-io.js';
import type { Database } from '../keyspace/database.js';
import { monitorLine } from '../monitoring/monitor.js';
import { redactArgv } from '../monitoring/slowlog.js';
import type { ServerNode } from '../node.js';
import type { Argv } from '../replication/propagation.js';
import type { Command, CommandContext } from './types.js';

/**
 * Commands that touch arbitrary keys (Redis 7.0.15's propagate_no_multi): the DELs of the expired
 * keys they meet go out one by one, not in MULTI/EXEC. Inside EXEC they are wrapped as usual.
 */
const UNWRAPPED_COMMANDS: ReadonlySet<string> = new Set(['randomkey', 'scan']);

class CallContext implements CommandContext {
  readonly node: ServerNode;
  readonly client: Client;
  readonly db: Database;
  readonly nowMs: number;
  /** The deterministic form to propagate instead of argv, if the command set one. */
  rewritten: Argv | undefined;
  forced = false;

  constructor(node: ServerNode, client: Client, db: Database, nowMs: number) {
    this.node = node;
    this.client = client;
    this.db = db;
    this.nowMs = nowMs;
  }

  get reply(): Client['reply'] {
    return this.client.reply;
  }

  modified(key: string, changes = 1): void {
    this.node.keyModified(this.db, key, changes);
  }

  propagateAs(argv: Argv): void {
    this.rewritten = argv;
  }

  forcePropagation(): void {
    this.forced = true;
  }

  alsoPropagate(argv: Argv): void {
    this.node.propagation.add(this.db.index, argv);
  }
}

/**
 * Runs `command` for `client` and propagates its change. Returns the error reply the command
 * produced, if any, for the caller to send (the dispatcher counts it).
 */
export function call(
  node: ServerNode,
  client: Client,
  command: Command,
  argv: readonly Buffer[],
  nowMs: number,
): string | undefined {
  const db = node.databases[client.dbIndex];
  if (db === undefined) throw new Error(`client ${client.id} selected a missing database`);
  const ctx = new CallContext(node, client, db, nowMs);
  const propagation = node.propagation;
  const topLevel = !propagation.isInCall();
  if (topLevel) propagation.beginCall();
  const replOffsetBefore = node.repl.masterReplOffset;
  const dirtyBefore = node.dirty;
  // CLIENT LIST's cmd= is the command the client sent: EXEC, not the commands it runs.
  if (topLevel) client.lastCommand = command.fullName;
  node.stats.commandsProcessed++;
  // A running BGSAVE must write the keys a write command names before it changes them, since a
  // collection changed in place never passes through Database.set (snapshot.ts, copy-on-write).
  if (node.persistence.copyOnWrite && command.flags.includes('write')) {
    node.persistence.beforeWrite(db, declaredKeys(command, argv));
  }
  const startMs = node.env.clock.monotonicMs();
  node.chargedPauseMs = 0;
  // Client-side caching remembers what a read-only command read (tracking/tracking.ts), when
  // some client tracks.
  const tracking = node.tracking;
  const error = tracking.framing
    ? tracking.runCall(client, command, argv, () => command.run(ctx, argv))
    : command.run(ctx, argv);
  // The slow log (monitoring/slowlog.ts): every command but those flagged skip_slowlog (EXEC logs
  // the commands it runs instead); a command that blocked is not logged (see the docs).
  const durationUs = Math.round(
    (node.env.clock.monotonicMs() - startMs + node.chargedPauseMs) * 1000,
  );
  // commandstats and the latency histograms (monitoring/command-stats.ts). A blocked command is
  // counted now, without a histogram sample; Redis counts it when it is served or times out.
  node.commandStats.called(
    command.fullName,
    durationUs,
    error !== undefined,
    !client.blocked && node.config.stored['latency-tracking'] === 'yes',
  );
  // The latency monitor (monitoring/latency.ts), as Redis's call(): fast and other commands apart.
  if (!client.blocked) {
    node.latency.offer(
      node.config.latencyMonitorThreshold,
      command.flags.includes('fast') ? 'fast-command' : 'command',
      Math.floor(durationUs / 1000),
      node.env.clock.wallMs(),
    );
  }
  if (!command.flags.includes('skip_slowlog') && !client.blocked) {
    node.slowlog.offer(
      node.config,
      redactArgv(command.fullName, argv),
      durationUs,
      client,
      node.env.clock.wallMs(),
    );
  }
  const changed = node.dirty !== dirtyBefore || ctx.forced;
  if (changed && !command.flags.includes('no_propagate')) {
    propagation.add(db.index, ctx.rewritten ?? argv);
  }
  if (topLevel) propagation.endCall(!UNWRAPPED_COMMANDS.has(command.fullName));
  // MONITOR (monitoring/monitor.ts): after the command, unless admin or skip_monitor.
  if (
    node.monitors.size > 0 &&
    !command.flags.includes('admin') &&
    !command.flags.includes('skip_monitor')
  ) {
    const line = monitorLine(
      node.env.clock.wallMs(),
      client.dbIndex,
      client,
      redactArgv(command.fullName, argv),
    );
    for (const monitor of node.monitors) {
      if (monitor.closing) continue;
      monitor.reply.simple(line);
      if (monitor !== client) flushClient(node, monitor);
    }
  }
  // WAIT waits for the offset right after the client's last propagated change (Redis's c->woff).
  if (topLevel && node.repl.masterReplOffset !== replOffsetBefore) {
    client.woff = node.repl.masterReplOffset;
  }
  return error?.message;
}

/** The keys at `command`'s key positions (COMMAND INFO's first, last, step) in argv. */
export function* declaredKeys(command: Command, argv: readonly Buffer[]): Generator<string> {
  if (command.keyIndexes !== undefined) {
    for (const index of command.keyIndexes(argv)) {
      const key = argv[index];
      if (key !== undefined) yield key.toString('latin1');
    }
    return;
  }
  const { first, last, step } = command.keys;
  if (first <= 0 || step <= 0) return;
  const end = last < 0 ? argv.length + last : Math.min(last, argv.length - 1);
  for (let i = first; i <= end; i += step) {
    const key = argv[i];
    if (key !== undefined) yield key.toString('latin1');
  }
}
