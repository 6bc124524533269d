/**
 * RESTORE-ASKING key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
 *
 * The command a cluster MIGRATE sends; outside cluster mode Redis runs it exactly as RESTORE (the
 * same restoreCommand), so replisim does too: same checks, errors, reply and propagation. Only
 * its table entry differs (the `asking` flag, Redis 7.0.15's ACL categories).
 */
import type { Command } from '../types.js';
import { restore } from './restore.js';

export const restoreAsking: Command = {
  ...restore,
  name: 'restore-asking',
  fullName: 'restore-asking',
  flags: ['write', 'denyoom', 'asking'],
  aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'],
  doc: {
    ...restore.doc,
    summary: 'An internal command for migrating keys in a cluster',
    since: '3.0.0',
    group: 'server',
  },
};
