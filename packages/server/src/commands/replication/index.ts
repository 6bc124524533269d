/**
 * The master side's replication commands (SYNC, PSYNC, REPLCONF, WAIT, ROLE, FAILOVER); the work behind
 * them is in replication/master.ts.
 */
import type { Command } from '../types.js';
import { failover } from './failover.js';
import { replconf } from './replconf.js';
import { role } from './role.js';
import { psync, sync } from './sync.js';
import { wait } from './wait.js';

export const MASTER_REPLICATION_COMMANDS: readonly Command[] = [
  failover,
  psync,
  replconf,
  role,
  sync,
  wait,
];
