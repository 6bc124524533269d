/**
 * The scripting commands (Redis's eval.c and functions.c): EVAL, EVALSHA, their read-only forms,
 * SCRIPT, FUNCTION, FCALL and FCALL_RO. The engine itself is in src/scripting/.
 */
import type { Command } from '../types.js';
import { evalCommand } from './eval.js';
import { evalRoCommand } from './eval-ro.js';
import { evalshaCommand } from './evalsha.js';
import { evalshaRoCommand } from './evalsha-ro.js';
import { fcallCommand } from './fcall.js';
import { fcallRoCommand } from './fcall-ro.js';
import { functionCommand } from './function.js';
import { scriptCommand } from './script.js';

export const SCRIPTING_COMMANDS: readonly Command[] = [
  evalCommand,
  evalRoCommand,
  evalshaCommand,
  evalshaRoCommand,
  fcallCommand,
  fcallRoCommand,
  functionCommand,
  scriptCommand,
];
