/** The string commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { get } from './get.js';
import { set } from './set.js';

export const STRINGS_COMMANDS: readonly Command[] = [get, set];
