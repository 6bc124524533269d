/**
 * Pub/Sub on the property test's single connection: publishing (no receivers but the connection
 * itself), introspection, and subscribing to one channel, one pattern and one shard channel at a
 * time, so an UNSUBSCRIBE without arguments never depends on Redis's hash order. While subscribed
 * in RESP2, every other command is refused on both servers alike, which also exercises that check;
 * PING answers in its subscribed shape. In RESP3 messages to oneself arrive as pushes before the
 * reply (the runner reads them as separate replies on both sides alike).
 */
import * as fc from 'fast-check';
import { command, entry, type Family, SORTED } from './model.js';

const channel = fc.constantFrom('ch', 'other', 'c*');

export const PUBSUB: Family = {
  name: 'pubsub',
  core: ['subscribe', 'unsubscribe', 'publish', 'pubsub'],
  entries: [
    entry('publish', 2, fc.tuple(channel, fc.constantFrom('m', '')), ([c, m]) =>
      command(['PUBLISH', c, m]),
    ),
    entry('spublish', 1, channel, (c) => command(['SPUBLISH', c, 'm'])),
    entry(
      'pubsub',
      2,
      fc.constantFrom(['NUMSUB', 'ch', 'x'], ['NUMPAT'], ['SHARDNUMSUB', 'ch']),
      (a) => command(['PUBSUB', ...a]),
    ),
    entry('pubsub', 1, fc.constantFrom([], ['c*']), (a) =>
      command(['PUBSUB', 'CHANNELS', ...a], SORTED),
    ),
    entry('subscribe', 1, fc.constant(null), () => command(['SUBSCRIBE', 'ch'])),
    entry('psubscribe', 1, fc.constant(null), () => command(['PSUBSCRIBE', 'c*'])),
    entry('ssubscribe', 1, fc.constant(null), () => command(['SSUBSCRIBE', 'ch'])),
    entry('unsubscribe', 2, fc.constantFrom([], ['ch'], ['x']), (a) =>
      command(['UNSUBSCRIBE', ...a]),
    ),
    entry('punsubscribe', 2, fc.constantFrom([], ['c*']), (a) => command(['PUNSUBSCRIBE', ...a])),
    entry('sunsubscribe', 2, fc.constantFrom([], ['ch']), (a) => command(['SUNSUBSCRIBE', ...a])),
  ],
};
