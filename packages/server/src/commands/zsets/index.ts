/** The zsets commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';

export const ZSETS_COMMANDS: readonly Command[] = [];
