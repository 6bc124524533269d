/** The lists commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';

export const LISTS_COMMANDS: readonly Command[] = [];
