/**
 * The transaction commands (Redis's multi.c): MULTI EXEC DISCARD WATCH UNWATCH. The queueing itself
 * happens in the dispatcher (transaction.ts explains the split).
 */
import type { Command } from '../types.js';
import { discard } from './discard.js';
import { exec } from './exec.js';
import { multi } from './multi.js';
import { unwatch } from './unwatch.js';
import { watch } from './watch.js';

export const TRANSACTIONS_COMMANDS: readonly Command[] = [discard, exec, multi, unwatch, watch];
