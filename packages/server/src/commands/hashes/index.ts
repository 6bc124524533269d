/** The hashes commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';

export const HASHES_COMMANDS: readonly Command[] = [];
