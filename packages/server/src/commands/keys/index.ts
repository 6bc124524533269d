/** The generic key commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { del } from './del.js';
import { exists } from './exists.js';

export const KEYS_COMMANDS: readonly Command[] = [del, exists];
