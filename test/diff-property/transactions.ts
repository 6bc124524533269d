/**
 * Transactions (multi.c): MULTI, EXEC, DISCARD, WATCH and UNWATCH dropped anywhere into a sequence,
 * so commands of every family get queued, aborted by queue-time errors, or run inside EXEC. The
 * runner compares each element of an EXEC reply with the queued command's own comparison. With one
 * client, WATCH is invalidated by the sequence's own writes and by expiry.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, keys } from './model.js';

export const TRANSACTIONS: Family = {
  name: 'transactions',
  core: ['multi', 'exec', 'discard', 'watch', 'unwatch'],
  entries: [
    entry('multi', 3, fc.constant(null), () => command(['MULTI'])),
    entry('exec', 3, fc.constant(null), () => command(['EXEC'])),
    entry('discard', 1, fc.constant(null), () => command(['DISCARD'])),
    entry('watch', 2, keys(1, 2), (ks) => command(['WATCH', ...ks])),
    entry('unwatch', 1, fc.constant(null), () => command(['UNWATCH'])),
  ],
};
