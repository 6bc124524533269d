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
import type { Client } from '../client.js';
import { MASTERDOWN_MESSAGE, MISCONF_MESSAGE } from '../commands/dispatch.js';
import { ErrorReply } from '../commands/types.js';
import type { ServerNode } from '../node.js';
import { errorMessageOf, writeLuaReply } from './convert.js';
import { FunctionsEngine } from './functions.js';
import { createSandbox, type Sandbox } from './lua-state.js';
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
      pushArgs: (S) => {
        lua.lua_getfield(S, lua.LUA_REGISTRYINDEX, to_luastring(`f_${sha}`));
        return 0;
      },
    });
  }

  /**
   * Runs a function as a script: the checks of scriptPrepareForRun, then the call with Redis's
   * error handler, then the reply. `pushArgs` pushes the function and its arguments.
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
    lua.lua_getglobal(L, to_luastring('__redis__err__handler'));
    const nargs = request.pushArgs(L);
    this.running = run;
    let status: number;
    try {
      status = lua.lua_pcall(L, nargs, 1, 1);
    } finally {
      this.running = undefined;
    }
    const reply = request.caller.reply;
    if (status !== lua.LUA_OK) {
      const message = errorReplyText(L, request.name);
      lua.lua_settop(L, 0);
      return new ErrorReply(message);
    }
    writeLuaReply(L, reply, run.resp, () => {
      node.stats.errorReplies++;
    });
    lua.lua_settop(L, 0);
    return undefined;
  }

  /** scriptPrepareForRun's refusals, for scripts with a shebang (compat mode checks per call). */
  private prepareForRun(request: RunRequest): ErrorReply | undefined {
    const { flags, roCommand, caller } = request;
    if (flags.compat) return undefined;
    const node = this.node;
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
    const link = node.replicaLink;
    if (
      !names.has('allow-stale') &&
      link !== undefined &&
      !node.config.replicaServeStaleData &&
      !link.connected
    ) {
      return new ErrorReply(MASTERDOWN_MESSAGE);
    }
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

const ENGINES = new WeakMap<ServerNode, ScriptingEngine>();

/** The node's scripting engine, made on first use. */
export function scriptingOf(node: ServerNode): ScriptingEngine {
  let engine = ENGINES.get(node);
  if (engine === undefined) {
    engine = new ScriptingEngine(node);
    ENGINES.set(node, engine);
  }
  return engine;
}
