/**
 * One running script (Redis's scriptRunCtx): who called it, what it may do, and redis.call's
 * path into the command table (script.c's scriptCall). The checks run in Redis's order: unknown
 * command or arity, `noscript` commands, then for writes the read-only script, READONLY replica,
 * MISCONF and NOREPLICAS refusals, then MASTERDOWN for commands not flagged `stale`. The command
 * runs through call() as the script client, inside the caller's propagation call, so everything a
 * script writes goes to replicas as one MULTI ... EXEC (effects replication, Redis 7.0).
 */
import { RespDecoder, type RespValue } from '@replisim/protocol';
import type { AclDenial } from '../acl/check.js';
import { checkAcl } from '../acl/enforce.js';
import type { Client } from '../client.js';
import { call } from '../commands/call.js';
import {
  MASTERDOWN_MESSAGE,
  MISCONF_MESSAGE,
  READONLY_MESSAGE,
  resolveCommand,
} from '../commands/dispatch.js';
import type { ServerNode } from '../node.js';

/** redis.REPL_* bits (PROPAGATE_AOF, PROPAGATE_REPL). */
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;

/** scriptVerifyACL's texts, by refusal. */
const SCRIPT_ACL_ERRORS: Readonly<Record<AclDenial, string>> = {
  command: "The user executing the script can't run this command or subcommand",
  key: "The user executing the script can't access at least one of the keys mentioned in the command arguments",
  channel: "The user executing the script can't publish to the channel mentioned in the command",
};

export type CallResult =
  | { readonly kind: 'error'; readonly raw: string }
  | { readonly kind: 'reply'; readonly value: RespValue };

export interface ScriptRunOptions {
  readonly node: ServerNode;
  readonly caller: Client;
  readonly scriptClient: Client;
  /** The sha (EVAL) or function name (FCALL) in error messages. */
  readonly name: string;
  /** EVAL_RO / FCALL_RO, or a no-writes script: writes are refused. */
  readonly readOnly: boolean;
  readonly nowMs: number;
}

export class ScriptRun {
  readonly node: ServerNode;
  readonly caller: Client;
  readonly client: Client;
  readonly name: string;
  readonly readOnly: boolean;
  readonly nowMs: number;
  /** redis.setresp: the protocol the script's commands reply in. */
  resp: 2 | 3 = 2;
  /** redis.set_repl: where the script's writes go. */
  replFlags: number = PROPAGATE_AOF | PROPAGATE_REPL;
  /** A command in the script was a write (SCRIPT_WRITE_DIRTY). */
  wrote = false;

  constructor(options: ScriptRunOptions) {
    this.node = options.node;
    this.caller = options.caller;
    this.client = options.scriptClient;
    this.name = options.name;
    this.readOnly = options.readOnly;
    this.nowMs = options.nowMs;
    this.client.dbIndex = options.caller.dbIndex;
    this.client.reply.protocol = 2;
  }

  /** Runs one redis.call / redis.pcall command; the raw error texts are luaPushError's input. */
  call(argv: readonly Buffer[]): CallResult {
    const node = this.node;
    const resolved = resolveCommand(argv);
    if (!('run' in resolved)) {
      const raw = resolved.message.startsWith('ERR wrong number of arguments')
        ? 'Wrong number of args calling Redis command from script'
        : 'Unknown Redis command called from script';
      return { kind: 'error', raw };
    }
    if (resolved.flags.includes('noscript')) {
      return { kind: 'error', raw: 'This Redis command is not allowed from script' };
    }
    // scriptVerifyACL: the script runs as its caller's user; a refusal is logged in context lua.
    const denied = checkAcl(node, this.caller, resolved, argv, 'lua');
    if (denied !== undefined) return { kind: 'error', raw: SCRIPT_ACL_ERRORS[denied.reason] };
    const isWrite = resolved.flags.includes('write');
    if (isWrite) {
      if (this.readOnly) {
        return { kind: 'error', raw: 'Write commands are not allowed from read-only scripts.' };
      }
      if (node.replicaLink !== undefined && node.config.replicaReadOnly && !this.caller.isMaster) {
        return { kind: 'error', raw: `-${READONLY_MESSAGE}` };
      }
      if (node.persistence.writesRefused() && !this.caller.isMaster) {
        return { kind: 'error', raw: `-${MISCONF_MESSAGE}` };
      }
      if (node.master.writesRefused()) {
        return { kind: 'error', raw: '-NOREPLICAS Not enough good replicas to write.' };
      }
    }
    const link = node.replicaLink;
    if (
      link !== undefined &&
      !node.config.replicaServeStaleData &&
      !link.connected &&
      !resolved.flags.includes('stale')
    ) {
      return { kind: 'error', raw: `-${MASTERDOWN_MESSAGE}` };
    }
    if (isWrite) this.wrote = true;
    this.client.reply.protocol = this.resp;
    const pendingBefore = node.propagation.pendingCount();
    const error = call(node, this.client, resolved, argv, this.nowMs);
    if ((this.replFlags & PROPAGATE_REPL) === 0) node.propagation.discardFrom(pendingBefore);
    const bytes = this.client.reply.take();
    if (error !== undefined) {
      node.stats.errorReplies++;
      return { kind: 'reply', value: { kind: 'error', value: error } };
    }
    if (bytes === null) return { kind: 'reply', value: { kind: 'null' } };
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from(bytes));
    const decoded = decoder.next();
    if (decoded.kind !== 'value')
      throw new Error(`a command wrote an unreadable reply: ${decoded.kind}`);
    if (decoded.value.kind === 'error') node.stats.errorReplies++;
    return { kind: 'reply', value: decoded.value };
  }
}
