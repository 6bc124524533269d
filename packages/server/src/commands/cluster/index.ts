/** The cluster-mode commands (standalone replies), listed for the table (commands/table.ts). */
import { restoreAsking } from '../keys/restore-asking.js';
import type { Command } from '../types.js';
import { asking, cluster, readonlyCommand, readwrite } from './cluster.js';

export const CLUSTER_COMMANDS: readonly Command[] = [
  asking,
  cluster,
  readonlyCommand,
  readwrite,
  restoreAsking,
];
