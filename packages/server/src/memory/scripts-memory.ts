/**
 * INFO memory's scripting fields (Redis 7.0's used_memory_vm_eval, used_memory_scripts_eval,
 * number_of_cached_scripts, number_of_functions, number_of_libraries, used_memory_vm_functions,
 * used_memory_functions and their sums), live from the node's script cache and function
 * libraries. The counts are exact; the byte figures are estimates calibrated on redis-server
 * 7.0.15 (a fresh server shows 32768 and 33792 bytes of Lua VM and 200 bytes of function
 * bookkeeping; a cached script costs its SHA and body allocations plus a dict entry; a library
 * and a function their structures; the VMs grow by about 1 KB per function or script body), not
 * measurements of replisim's Lua, whose heap says nothing about Redis's.
 */
import type { ServerNode } from '../node.js';
import { startedScriptingOf } from '../scripting/engine.js';
import { jemallocSize } from './value-bytes.js';

/** A fresh Lua state for EVAL, and the functions engine's (lua_gc LUA_GCCOUNT * 1024). */
const EVAL_VM_BYTES_FRESH = 32768;
const FUNCTIONS_VM_BYTES_FRESH = 33792;
/** The Lua heap grows in KB steps, about this much per function or per compiled script. */
const VM_BYTES_PER_FUNCTION = 1024;
const VM_BYTES_PER_SCRIPT = 400;
const VM_BYTES_STEP = 1024;
/** A cached script: its 40-character SHA sds (48 bytes in jemalloc) and dict entry. */
const SCRIPT_SHA_BYTES = 48;
const SCRIPT_ENTRY_BYTES = 40;
/** The smallest allocation a script body is counted at. */
const SCRIPT_BODY_BYTES_MIN = 48;
/** functionsMemoryOverhead: the engine and library dicts, and per library and function. */
const FUNCTIONS_BASE_BYTES = 200;
const FUNCTIONS_LIBRARY_BYTES = 136;
const FUNCTIONS_FUNCTION_BYTES = 120;

export interface ScriptsMemory {
  readonly vmEval: number;
  readonly scriptsEval: number;
  readonly cachedScripts: number;
  readonly functions: number;
  readonly libraries: number;
  readonly vmFunctions: number;
  readonly functionsOverhead: number;
}

export function scriptsMemory(node: ServerNode): ScriptsMemory {
  const engine = startedScriptingOf(node);
  let vmGrowth = 0;
  let scriptsEval = 0;
  for (const script of engine?.scripts.values() ?? []) {
    const body = script.body.length;
    vmGrowth += VM_BYTES_PER_SCRIPT + 2 * body;
    scriptsEval +=
      SCRIPT_SHA_BYTES +
      SCRIPT_ENTRY_BYTES +
      jemallocSize(Math.max(body + 4, SCRIPT_BODY_BYTES_MIN));
  }
  const libraries = engine?.functions.libraries.size ?? 0;
  const functions = engine?.functions.functions.size ?? 0;
  return {
    vmEval: EVAL_VM_BYTES_FRESH + Math.floor(vmGrowth / VM_BYTES_STEP) * VM_BYTES_STEP,
    scriptsEval,
    cachedScripts: engine?.scripts.size ?? 0,
    functions,
    libraries,
    vmFunctions: FUNCTIONS_VM_BYTES_FRESH + VM_BYTES_PER_FUNCTION * functions,
    functionsOverhead:
      FUNCTIONS_BASE_BYTES +
      FUNCTIONS_LIBRARY_BYTES * libraries +
      FUNCTIONS_FUNCTION_BYTES * functions,
  };
}
