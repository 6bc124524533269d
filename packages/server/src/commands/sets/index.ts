/** The sets commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';

export const SETS_COMMANDS: readonly Command[] = [];
