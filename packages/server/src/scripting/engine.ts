/**
 * The scripting engine of one node (Redis's eval.c and script.c): the EVAL script cache, the Lua
 * state EVAL scripts share, the script client, and running a script with Redis's checks before
 * (scriptPrepareForRun) and its error and reply conversions after (luaCallFunction). Functions
 * (functions.ts) run through the same `runLua`.
 *
 * Each node has its own engine (`scriptingOf(node)`), made on first use, so nodes in one
 * simulation never share Lua state. A script runs to completion inside the command's event: the
 * clock does not move for it (one `nowMs`, as Redis freezes time for a script), math.random
 * continues the node's one rand48 sequence, and nothing in the VM reads real time or randomness.
 */
import { createHash } from 'node:crypto';
import { ReplyWriter } from '@replisim/protocol';
import type { Client } from '../client.js';
import { processClientInput, resumeSuspendedClient } from '../client-io.js';
import { MASTERDOWN_MESSAGE, MISCONF_MESSAGE } from '../commands/dispatch.js';
import { ErrorReply } from '../commands/types.js';
import type { ServerNode } from '../node.js';
import type { PropagatedOperation } from '../replication/propagation.js';
import { errorMessageOf, pushErrorTable, writeLuaReply } from './convert.js';
import { FunctionsEngine } from './functions.js';
import { createSandbox, RUNNER_KEY, type Sandbox } from './lua-state.js';
import { type LuaState, lauxlib, lua, pushBytes, to_luastring, toLatin1 } from './lua-vm.js';
import { quoteTokens51 } from './lua51-text.js';
import { Rand48 } from './rand48.js';
import { type ApiHost, installRedisApi } from './redis-api.js';
import { createScriptClient } from './script-client.js';
import { ScriptRun } from './script-run.js';
import { extractShebang, type ScriptFlags } from './shebang.js';

export interface CachedScript {
  readonly body: Buffer;
  readonly flags: ScriptFlags;
}

const LOG_LEVEL_INDEX: Readonly<Record<string, number>> = {
  debug: 0,
  verbose: 1,
  notice: 2,
  warning: 3,
  nothing: 4,
};

/** What a script run needs besides the function on the stack. */
export interface RunRequest {
  readonly caller: Client;
  readonly nowMs: number;
  readonly name: string;
  readonly flags: ScriptFlags;
  /** Called with EVAL_RO / FCALL_RO. */
  readonly roCommand: boolean;
  /** EVAL* (true) or FCALL* (false): which KILL stops it and which -BUSY others get. */
  readonly isEval: boolean;
  /** The caller's command, for FUNCTION STATS. */
  readonly argv: readonly Buffer[];
  /** Pushes the arguments the function takes (FCALL: keys and args tables); returns their count. */
  readonly pushArgs: (L: LuaState) => number;
}

export class ScriptingEngine {
  readonly node: ServerNode;
  readonly scripts: Map<string, CachedScript> = new Map();
  readonly rand: Rand48 = new Rand48();
  /** FUNCTION libraries and FCALL (functions.ts). */
  readonly functions: FunctionsEngine = new FunctionsEngine(this);
  private evalSandbox: Sandbox | undefined;
  private scriptClient: Client | undefined;
  private running: ScriptRun | undefined;
  /** The script in progress: set while it runs and while it is yielded (busy). */
  private execution: Execution | undefined;

  constructor(node: ServerNode) {
    this.node = node;
  }

  /** The running script, if any (redis.call reads it). */
  current(): ScriptRun | undefined {
    return this.running;
  }

  /** The API host handed to every Lua state of this node. */
  apiHost(): ApiHost {
    return {
      current: () => this.running,
      rand: this.rand,
      log: (level, message) => this.node.log(level, message),
      logLevel: () => LOG_LEVEL_INDEX[this.node.config.loglevel] ?? 2,
    };
  }

  private sandbox(): Sandbox {
    if (this.evalSandbox === undefined) {
      const host = this.apiHost();
      this.evalSandbox = createSandbox((L) => installRedisApi(L, host));
    }
    return this.evalSandbox;
  }

  /**
   * Compiles `body` into the EVAL state under `f_<sha>` (luaCreateFunction) and caches it.
   * Returns the sha, or the shebang or compile error.
   */
  loadScript(body: Buffer): string | ErrorReply {
    const sha = sha1hex(body);
    if (this.scripts.has(sha)) return sha;
    const shebang = extractShebang(body);
    if (!shebang.ok) return new ErrorReply(shebang.error);
    const { L } = this.sandbox();
    const code = Uint8Array.from(body.subarray(shebang.shebangBytes));
    const status = lauxlib.luaL_loadbuffer(L, code, code.length, to_luastring('@user_script'));
    if (status !== lua.LUA_OK) {
      const message = quoteTokens51(toLatin1(L, -1) ?? '');
      lua.lua_pop(L, 1);
      return new ErrorReply(`ERR Error compiling script (new function): ${message}`);
    }
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
    this.scripts.set(sha, { body: Buffer.from(body), flags: shebang.flags });
    return sha;
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh Lua state (scriptingReset). */
  flushScripts(): void {
    this.scripts.clear();
    this.evalSandbox = undefined;
  }

  /** EVAL / EVALSHA / their _RO forms, once the script is cached. Writes the reply. */
  evalScript(
    argv: readonly Buffer[],
    caller: Client,
    nowMs: number,
    sha: string,
    keys: readonly Buffer[],
    args: readonly Buffer[],
    roCommand: boolean,
  ): ErrorReply | undefined {
    const script = this.scripts.get(sha);
    if (script === undefined)
      return new ErrorReply('NOSCRIPT No matching script. Please use EVAL.');
    const sandbox = this.sandbox();
    sandbox.setGlobal('KEYS', () => pushArray(sandbox.L, keys));
    sandbox.setGlobal('ARGV', () => pushArray(sandbox.L, args));
    const L = sandbox.L;
    return this.runLua(L, {
      caller,
      nowMs,
      name: sha,
      flags: script.flags,
      roCommand,
      isEval: true,
      argv,
      pushArgs: (S) => {
        lua.lua_getfield(S, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
        return 0;
      },
    });
  }

  /**
   * Runs a function as a script: the checks of scriptPrepareForRun, then the call with Redis's
   * error handler, then the reply. `pushArgs` pushes the function and its arguments.
   *
   * The script runs as a coroutine with a count hook. Past busy-reply-threshold (by the Env's
   * clock) the hook yields to the event loop, as Redis's processEventsWhileBlocked lets it serve
   * events during a long script: the caller is suspended, other clients get -BUSY except for
   * SCRIPT KILL, FUNCTION KILL, FUNCTION STATS and SHUTDOWN NOSAVE (dispatch.ts), and a timer
   * resumes the script. A script never yields inside MULTI/EXEC, whose queue must run without a
   * gap. Returns the error to reply, or undefined when the reply is written (or will be, by the
   * continuation).
   */
  runLua(L: LuaState, request: RunRequest): ErrorReply | undefined {
    const refused = this.prepareForRun(request);
    if (refused !== undefined) return refused;
    const node = this.node;
    const readOnly = request.roCommand || request.flags.names.has('no-writes');
    this.scriptClient ??= createScriptClient(node.allocateClientId(), node.env.clock.monotonicMs());
    const run = new ScriptRun({
      node,
      caller: request.caller,
      scriptClient: this.scriptClient,
      name: request.name,
      readOnly,
      nowMs: request.nowMs,
    });
    lua.lua_settop(L, 0);
    const T = lua.lua_newthread(L);
    const threadRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    lua.lua_getfield(T, lua.LUA_REGISTRYINDEX, to_luastring(RUNNER_KEY));
    const nargs = request.pushArgs(T);
    const startedMs = node.env.clock.monotonicMs();
    const execution: Execution = {
      L,
      T,
      threadRef,
      run,
      request,
      startedMs,
      lastYieldMs: startedMs,
      busy: false,
      killed: false,
      canYield: request.caller.transaction === undefined && node.propagation.isInCall(),
      pending: [],
    };
    const thresholdMs = node.config.busyReplyThresholdMs;
    if (thresholdMs > 0) {
      lua.lua_sethook(
        T,
        (S) => this.countHook(S, execution, thresholdMs),
        lua.LUA_MASKCOUNT,
        SCRIPT_HOOK_INSTRUCTIONS,
      );
    }
    this.execution = execution;
    const status = this.resume(execution, nargs + 1);
    if (status === lua.LUA_YIELD) {
      node.busyScript = { isEval: request.isEval };
      request.caller.suspended = true;
      execution.pending = node.propagation.takePending();
      this.scheduleContinuation(execution);
      return undefined;
    }
    let error: ErrorReply | undefined;
    this.finishExecution(execution, status, (message) => {
      error = new ErrorReply(message);
    });
    return error;
  }

  private resume(execution: Execution, nargs: number): number {
    this.running = execution.run;
    try {
      return lua.lua_resume(execution.T, execution.L, nargs);
    } finally {
      this.running = undefined;
    }
  }

  /** The count hook: SCRIPT KILL's error, and the yield past busy-reply-threshold. */
  private countHook(S: LuaState, execution: Execution, thresholdMs: number): void {
    if (execution.killed) {
      // Every line from now on raises it again, so pcall cannot swallow the kill.
      lua.lua_sethook(S, (K) => this.countHook(K, execution, thresholdMs), lua.LUA_MASKLINE, 0);
      pushErrorTable(S, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(S);
    }
    if (S !== execution.T || !execution.canYield) return;
    const nowMs = this.node.env.clock.monotonicMs();
    if (nowMs - execution.startedMs < thresholdMs) return;
    if (!execution.busy) {
      execution.busy = true;
      const kill = execution.request.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL';
      this.node.log(
        'warning',
        `Slow script detected: still in execution after ${Math.floor(nowMs - execution.startedMs)} milliseconds. You can try killing the script using the ${kill} command. Script name is: ${execution.run.name}.`,
      );
    }
    if (
      nowMs - execution.lastYieldMs < BUSY_YIELD_INTERVAL_MS &&
      execution.lastYieldMs !== execution.startedMs
    )
      return;
    if (!lua.lua_isyieldable(S)) return;
    execution.lastYieldMs = nowMs;
    lua.lua_yield(S, 0);
  }

  private scheduleContinuation(execution: Execution): void {
    this.node.env.timers.after(0, () => this.continueExecution(execution));
  }

  /** Resumes a yielded script inside a propagation call of its own that carries its writes. */
  private continueExecution(execution: Execution): void {
    const node = this.node;
    const caller = execution.request.caller;
    if (node.isStopped) {
      this.endExecution(execution);
      return;
    }
    const propagation = node.propagation;
    propagation.beginCall();
    for (const op of execution.pending) propagation.add(op.dbIndex, op.argv);
    const offsetBefore = node.repl.masterReplOffset;
    const status = this.resume(execution, 0);
    if (status === lua.LUA_YIELD) {
      execution.pending = propagation.takePending();
      propagation.endCall();
      this.scheduleContinuation(execution);
      return;
    }
    let writeReply: (client: Client) => void = () => undefined;
    const replyBytes = new ReplyCapture(caller.reply.protocol);
    let errorText: string | undefined;
    this.finishExecution(
      execution,
      status,
      (message) => {
        errorText = message;
      },
      replyBytes.writer,
    );
    propagation.endCall();
    if (node.repl.masterReplOffset !== offsetBefore) caller.woff = node.repl.masterReplOffset;
    node.busyScript = undefined;
    writeReply = (client) => {
      if (errorText !== undefined) node.replyError(client, errorText);
      else replyBytes.copyTo(client);
    };
    resumeSuspendedClient(node, caller, writeReply);
    // The master's stream and every other client's queued requests run now (client-io.ts).
    for (const client of [...node.clients.values()]) processClientInput(node, client);
  }

  /** Writes the finished script's reply (or reports its error) and releases its thread. */
  private finishExecution(
    execution: Execution,
    status: number,
    onError: (message: string) => void,
    reply: ReplyWriter = execution.request.caller.reply,
  ): void {
    const { T, run } = execution;
    if (status !== lua.LUA_OK) {
      onError(errorReplyText(T, run.name));
    } else if (lua.lua_toboolean(T, 1)) {
      // The runner returned ok and every value of the script; the reply is the first one.
      lua.lua_settop(T, 2);
      writeLuaReply(T, reply, run.resp, () => {
        this.node.stats.errorReplies++;
      });
    } else {
      onError(errorReplyText(T, run.name));
    }
    this.endExecution(execution);
  }

  private endExecution(execution: Execution): void {
    lua.lua_sethook(execution.T, null, 0, 0);
    lua.lua_settop(execution.T, 0);
    lauxlib.luaL_unref(execution.L, lua.LUA_REGISTRYINDEX, execution.threadRef);
    if (this.execution === execution) this.execution = undefined;
    this.node.busyScript = undefined;
  }

  /**
   * SCRIPT KILL (`isEval`) / FUNCTION KILL: marks the busy script for the hook to stop, or
   * Redis's refusal (scriptKill).
   */
  kill(isEval: boolean): ErrorReply | undefined {
    const execution = this.execution;
    if (execution === undefined)
      return new ErrorReply('NOTBUSY No scripts in execution right now.');
    if (execution.run.caller.isMaster) {
      return new ErrorReply(
        'UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.',
      );
    }
    if (execution.run.wrote) {
      return new ErrorReply(
        'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
      );
    }
    if (isEval && !execution.request.isEval) return new ErrorReply(busyMessage(false));
    if (!isEval && execution.request.isEval) return new ErrorReply(busyMessage(true));
    execution.killed = true;
    return undefined;
  }

  /** FUNCTION STATS' running_script: the busy script's name, command and duration. */
  runningScript():
    | { isEval: boolean; name: string; argv: readonly Buffer[]; durationMs: number }
    | undefined {
    const execution = this.execution;
    if (execution === undefined) return undefined;
    return {
      isEval: execution.request.isEval,
      name: execution.run.name,
      argv: execution.request.argv,
      durationMs: Math.floor(this.node.env.clock.monotonicMs() - execution.startedMs),
    };
  }

  /** scriptPrepareForRun's refusals (in compatibility mode only the stale check). */
  private prepareForRun(request: RunRequest): ErrorReply | undefined {
    const { flags, roCommand, caller } = request;
    const node = this.node;
    const link = node.replicaLink;
    const runningStale =
      link !== undefined && !node.config.replicaServeStaleData && !link.connected;
    // EVAL's compatibility mode: only a stale replica refuses it (its commands are checked inside).
    if (flags.compat) return runningStale ? new ErrorReply(MASTERDOWN_MESSAGE) : undefined;
    const names = flags.names;
    if (!names.has('no-writes')) {
      if (node.replicaLink !== undefined && node.config.replicaReadOnly && !caller.isMaster) {
        return new ErrorReply('READONLY Can not run script with write flag on readonly replica');
      }
      if (node.persistence.writesRefused() && !caller.isMaster) {
        return new ErrorReply(MISCONF_MESSAGE);
      }
      if (node.master.writesRefused()) {
        return new ErrorReply('NOREPLICAS Not enough good replicas to write.');
      }
      if (roCommand) {
        return new ErrorReply('ERR Can not execute a script with write flag using *_ro command.');
      }
    }
    if (!names.has('allow-stale') && runningStale) return new ErrorReply(MASTERDOWN_MESSAGE);
    return undefined;
  }
}

/** The error reply of a failed script (luaCallFunction's error branch). */
function errorReplyText(L: LuaState, name: string): string {
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    const text = lua.lua_isstring(L, -1) ? (toLatin1(L, -1) ?? '') : 'execution failure';
    return `ERR Error running script ${name}, ${text.slice(0, 100)}`;
  }
  let message = errorMessageOf(L, -1);
  lua.lua_getfield(L, -1, to_luastring('source'));
  const source = lua.lua_isstring(L, -1) ? toLatin1(L, -1) : undefined;
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, -1, to_luastring('line'));
  const line = lua.lua_isstring(L, -1) ? toLatin1(L, -1) : undefined;
  lua.lua_pop(L, 1);
  if (source !== undefined && line !== undefined) {
    message += ` script: ${name}, on ${source}:${line}.`;
  }
  return message;
}

function pushArray(L: LuaState, items: readonly Buffer[]): void {
  lua.lua_createtable(L, items.length, 0);
  items.forEach((item, i) => {
    pushBytes(L, item);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

export function sha1hex(body: Buffer): string {
  return createHash('sha1').update(body).digest('hex');
}

/**
 * VM instructions between two runs of the count hook. Redis checks every 100000 instructions;
 * fengari runs Lua some 20-50 times slower than C Lua, so a smaller count keeps the time between
 * checks about as short.
 */
export const SCRIPT_HOOK_INSTRUCTIONS = 10000;

/** While busy, a script yields to the event loop at most this often (ms). */
export const BUSY_YIELD_INTERVAL_MS = 10;

/** -BUSY's text: EVAL scripts name SCRIPT KILL, functions FUNCTION KILL (shared.slow*err). */
export function busyMessage(isEval: boolean): string {
  return `BUSY Redis is busy running a script. You can only call ${isEval ? 'SCRIPT' : 'FUNCTION'} KILL or SHUTDOWN NOSAVE.`;
}

/** A script in progress (runLua). */
interface Execution {
  readonly L: LuaState;
  /** The coroutine the script runs in. */
  readonly T: LuaState;
  readonly threadRef: number;
  readonly run: ScriptRun;
  readonly request: RunRequest;
  readonly startedMs: number;
  lastYieldMs: number;
  /** Past busy-reply-threshold (the slow-script warning was logged). */
  busy: boolean;
  /** SCRIPT KILL / FUNCTION KILL asked to stop it. */
  killed: boolean;
  /** Outside MULTI/EXEC and inside the command's propagation call: it may yield. */
  readonly canYield: boolean;
  /** Its writes so far, held while it is yielded. */
  pending: PropagatedOperation[];
}

/** A reply written to a buffer of its own, copied to the client once the client is resumed. */
class ReplyCapture {
  readonly writer: ReplyWriter;
  constructor(protocol: 2 | 3) {
    this.writer = new ReplyWriter();
    this.writer.protocol = protocol;
  }
  copyTo(client: Client): void {
    const bytes = this.writer.take();
    if (bytes !== null) client.reply.raw(bytes);
  }
}

const ENGINES = new WeakMap<ServerNode, ScriptingEngine>();

/** The node's scripting engine if a script or function made it already (INFO must not make one). */
export function startedScriptingOf(node: ServerNode): ScriptingEngine | undefined {
  return ENGINES.get(node);
}

/** The node's scripting engine, made on first use. */
export function scriptingOf(node: ServerNode): ScriptingEngine {
  let engine = ENGINES.get(node);
  if (engine === undefined) {
    engine = new ScriptingEngine(node);
    ENGINES.set(node, engine);
  }
  return engine;
}
