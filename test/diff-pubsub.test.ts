/**
 * Differential test of Pub/Sub: replisim must deliver and confirm exactly as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node. Each script drives up to three
 * connections per server (subscribers and publishers), all in RESP2 or all after HELLO 3. A step
 * sends one command on one connection and reads the number of replies it announces there (a
 * SUBSCRIBE of two channels confirms twice; a RESP3 client publishing to itself gets its message
 * before the count). Then every other connection is synchronised with `PING sync-<n>`: what it
 * received up to that PING's answer (messages, then the PING reply in its subscribed or plain
 * shape) is compared too. All bytes must be identical.
 *
 * Two places where Redis walks a hash table are compared as sorted sets instead: PUBSUB CHANNELS
 * and SHARDCHANNELS, and the confirmations of UNSUBSCRIBE / SUNSUBSCRIBE without arguments when
 * more than one channel is dropped (each script avoids depending on that order otherwise). Each
 * script ends with DEBUG DIGEST on both.
 *
 * PUBLISH and SPUBLISH are propagated to replicas as Redis does (even with no receiver, inside
 * MULTI/EXEC when queued): compared with Redis's replication stream.
 */
import { describe, expect, it } from 'vitest';
import {
  channels,
  many,
  on,
  runMultiClientScript,
  type Script,
  unordered,
} from './support/multi-client-diff.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { describeScriptsPerProtocol, useServerPair } from './support/server-pair.js';

const SCRIPTS: readonly Script[] = [
  {
    name: 'SUBSCRIBE, PUBLISH, UNSUBSCRIBE: confirmations, counts and messages',
    steps: [
      many(0, 2, 'SUBSCRIBE', 'news', 'sport'),
      on(0, 'SUBSCRIBE', 'news'),
      on(1, 'PUBLISH', 'news', 'hello'),
      on(1, 'PUBLISH', 'sport', ''),
      on(1, 'PUBLISH', 'nobody', 'x'),
      on(1, 'PUBLISH', 'News', 'case matters'),
      on(2, 'SUBSCRIBE', 'news'),
      on(1, 'PUBLISH', 'news', 'two receivers'),
      on(0, 'UNSUBSCRIBE', 'sport'),
      on(0, 'UNSUBSCRIBE', 'sport'),
      on(0, 'UNSUBSCRIBE', 'never'),
      on(0, 'UNSUBSCRIBE'),
      on(0, 'UNSUBSCRIBE'),
      on(1, 'PUBLISH', 'news', 'one left'),
      on(2, 'UNSUBSCRIBE', 'news'),
      on(1, 'PUBLISH', 'news', 'none left'),
      on(0, 'GET', 'k'),
    ],
  },
  {
    name: 'subscribed RESP2 clients may only manage subscriptions, PING and QUIT',
    steps: [
      on(0, 'SUBSCRIBE', 'c'),
      on(0, 'GET', 'k'),
      on(0, 'SET', 'k', 'v'),
      on(0, 'PUBLISH', 'c', 'm'),
      on(0, 'PUBSUB', 'NUMSUB', 'c'),
      on(0, 'PUBSUB', 'NOSUCH'),
      on(0, 'CLIENT', 'GETNAME'),
      on(0, 'SELECT', '1'),
      on(0, 'MULTI'),
      on(0, 'NOSUCHCOMMAND'),
      on(0, 'GET'),
      on(0, 'PING'),
      on(0, 'PING', 'hi'),
      on(0, 'PSUBSCRIBE', 'p*'),
      on(0, 'SSUBSCRIBE', 's'),
      on(0, 'UNSUBSCRIBE', 'c'),
      on(0, 'PUNSUBSCRIBE'),
      // Still subscribed to a shard channel: still in the Pub/Sub context.
      on(0, 'GET', 'k'),
      on(0, 'SUNSUBSCRIBE'),
      on(0, 'GET', 'k'),
      on(0, 'PING'),
      on(0, 'QUIT'),
    ],
  },
  {
    name: 'PSUBSCRIBE and pattern messages',
    steps: [
      many(0, 3, 'PSUBSCRIBE', 'news.*', 'h?llo', 'x[a-c]'),
      on(0, 'PSUBSCRIBE', 'news.*'),
      on(1, 'PUBLISH', 'news.today', 'a'),
      on(1, 'PUBLISH', 'hallo', 'b'),
      on(1, 'PUBLISH', 'xb', 'c'),
      on(1, 'PUBLISH', 'xd', 'd'),
      on(0, 'SUBSCRIBE', 'news.today'),
      on(1, 'PUBLISH', 'news.today', 'direct and pattern'),
      on(2, 'PSUBSCRIBE', 'news.*'),
      on(1, 'PUBLISH', 'news.x', 'two pattern clients'),
      on(1, 'PUBSUB', 'NUMPAT'),
      on(1, 'PUBSUB', 'NUMSUB', 'news.today', 'news.*', 'none'),
      on(1, 'PUBSUB', 'NUMSUB'),
      many(0, 3, 'PUNSUBSCRIBE'),
      on(0, 'PUNSUBSCRIBE'),
      on(0, 'PUNSUBSCRIBE', 'never'),
      on(1, 'PUBSUB', 'NUMPAT'),
      on(0, 'UNSUBSCRIBE'),
      on(0, 'PING'),
    ],
  },
  {
    name: 'SSUBSCRIBE, SPUBLISH and the shard counts',
    steps: [
      many(0, 2, 'SSUBSCRIBE', 'a', 'b'),
      on(0, 'SUBSCRIBE', 'a'),
      on(0, 'PSUBSCRIBE', '*'),
      on(1, 'SPUBLISH', 'a', 'shard'),
      on(1, 'PUBLISH', 'a', 'plain'),
      on(1, 'SPUBLISH', 'zzz', 'nobody'),
      on(1, 'PUBSUB', 'SHARDNUMSUB', 'a', 'b', 'c'),
      on(1, 'PUBSUB', 'SHARDNUMSUB'),
      channels(1, 'PUBSUB', 'SHARDCHANNELS'),
      channels(1, 'PUBSUB', 'SHARDCHANNELS', 'a*'),
      on(1, 'PUBSUB', 'SHARDCHANNELS', 'a', 'b'),
      on(0, 'SUNSUBSCRIBE', 'a'),
      unordered(0, 1, 'SUNSUBSCRIBE'),
      on(0, 'SUNSUBSCRIBE'),
      on(0, 'PUNSUBSCRIBE', '*'),
      on(0, 'UNSUBSCRIBE', 'a'),
      on(0, 'PING'),
      on(1, 'PUBSUB', 'SHARDNUMSUB', 'a'),
    ],
  },
  {
    name: 'PUBSUB CHANNELS and introspection errors',
    steps: [
      many(0, 3, 'SUBSCRIBE', 'c1', 'c2', 'other'),
      on(2, 'SUBSCRIBE', 'c1'),
      channels(1, 'PUBSUB', 'CHANNELS'),
      channels(1, 'PUBSUB', 'CHANNELS', 'c*'),
      channels(1, 'PUBSUB', 'channels', '*[2]'),
      on(1, 'PUBSUB', 'CHANNELS', 'nomatch*'),
      on(1, 'PUBSUB', 'CHANNELS', 'a', 'b'),
      on(1, 'PUBSUB', 'NUMSUB', 'c1', 'c2', 'c3'),
      on(1, 'PUBSUB', 'NUMPAT', 'x'),
      on(1, 'PUBSUB'),
      on(1, 'PUBSUB', 'FOO'),
      on(1, 'PUBSUB', 'HELP'),
      on(1, 'SUBSCRIBE'),
      on(1, 'PUBLISH', 'c1'),
      on(1, 'SPUBLISH', 'c1', 'm', 'x'),
      on(1, 'INFO', 'nosuchsection'),
      unordered(0, 3, 'UNSUBSCRIBE'),
      channels(1, 'PUBSUB', 'CHANNELS'),
    ],
  },
  {
    name: 'subscriptions inside MULTI/EXEC',
    steps: [
      on(0, 'MULTI'),
      on(0, 'SUBSCRIBE', 'x'),
      on(0, 'SSUBSCRIBE', 'y'),
      on(0, 'PSUBSCRIBE', 'z*'),
      on(0, 'EXEC'),
      on(1, 'PUBLISH', 'x', 'after exec'),
      on(1, 'PUBLISH', 'zz', 'pattern'),
      on(1, 'MULTI'),
      on(1, 'PUBLISH', 'x', 'queued'),
      on(1, 'SPUBLISH', 'y', 'queued'),
      on(1, 'EXEC'),
      on(0, 'UNSUBSCRIBE', 'x'),
      on(0, 'PUNSUBSCRIBE', 'z*'),
      on(0, 'GET', 'k'),
    ],
  },
  {
    name: 'RESET drops subscriptions, MULTI, WATCH, the database, the name and RESP3',
    steps: [
      on(0, 'CLIENT', 'SETNAME', 'before'),
      on(0, 'SELECT', '3'),
      on(0, 'SET', 'w', '1'),
      on(0, 'WATCH', 'w'),
      many(0, 2, 'SUBSCRIBE', 'a', 'b'),
      on(0, 'PSUBSCRIBE', 'p*'),
      on(0, 'RESET'),
      on(1, 'PUBLISH', 'a', 'nobody'),
      on(1, 'PUBSUB', 'NUMPAT'),
      on(0, 'GET', 'w'),
      on(0, 'CLIENT', 'GETNAME'),
      on(0, 'MULTI'),
      on(0, 'SET', 'x', '1'),
      on(0, 'RESET'),
      on(0, 'EXEC'),
      on(0, 'GET', 'x'),
      on(0, 'RESET', 'x'),
      { ...on(0, 'HELLO', '3', 'SETNAME', 'n'), ignored: true },
      on(0, 'RESET'),
      on(0, 'SUBSCRIBE', 'a'),
      on(0, 'GET', 'w'),
      on(0, 'RESET'),
    ],
  },
  {
    name: 'a client that disconnects is no longer a receiver',
    steps: [
      on(0, 'SUBSCRIBE', 'c'),
      on(2, 'SUBSCRIBE', 'c'),
      on(1, 'PUBSUB', 'NUMSUB', 'c'),
      on(0, 'QUIT'),
      on(1, 'PUBLISH', 'c', 'one receiver left'),
      on(1, 'PUBSUB', 'NUMSUB', 'c'),
    ],
  },
];

/** RESP3-only: a subscribed RESP3 client runs anything, and messages to itself come as pushes. */
const RESP3_SCRIPTS: readonly Script[] = [
  {
    name: 'RESP3: commands while subscribed, pushes to oneself',
    steps: [
      on(0, 'SUBSCRIBE', 'me'),
      on(0, 'SET', 'k', 'v'),
      on(0, 'GET', 'k'),
      on(0, 'PING'),
      many(0, 2, 'PUBLISH', 'me', 'to myself'),
      on(0, 'PSUBSCRIBE', 'm*'),
      many(0, 3, 'PUBLISH', 'me', 'twice'),
      on(0, 'PUBSUB', 'NUMSUB', 'me'),
      { ...on(0, 'HELLO', '2'), ignored: true },
      on(0, 'GET', 'k'),
      on(0, 'PING'),
      on(0, 'UNSUBSCRIBE'),
      on(0, 'PUNSUBSCRIBE'),
      on(0, 'GET', 'k'),
    ],
  },
];

describe('Pub/Sub against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  describeScriptsPerProtocol(
    (protocol) => (protocol === 3 ? [...SCRIPTS, ...RESP3_SCRIPTS] : SCRIPTS),
    () => servers().ports,
    (script, protocol) => runMultiClientScript(script, servers().ports, protocol),
  );

  it('propagates PUBLISH and SPUBLISH as Redis does', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['PUBLISH', 'nobody', 'listens'],
      ['SPUBLISH', 'shard', 'm'],
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['PUBLISH', 'c', 'in a transaction'],
      ['EXEC'],
      ['MULTI'],
      ['PUBLISH', 'c', 'alone in a transaction'],
      ['EXEC'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.some((argv) => argv[0] === 'PUBLISH')).toBe(true);
  });
});
