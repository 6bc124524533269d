/**
 * What the stream commands propagate, compared with a real Redis 7.0.15's replication stream.
 *
 * Method: support/replication-stream.ts attaches to redis-server as a replica (SYNC) and subscribes
 * to replisim's propagation log; each script runs on both (replies byte-identical) and the two
 * streams must hold the same commands. Delivery times in XCLAIM's TIME argument (13 digits) may
 * differ by the few milliseconds between the servers. Covered: XADD with `<ms>-*` (propagated with
 * the generated ID) and approximate trims (propagated as `MAXLEN|MINID = result`), XTRIM, XDEL,
 * XSETID, every XGROUP subcommand, XREADGROUP (an XCLAIM per delivered entry; with NOACK an XGROUP
 * SETID, and XGROUP CREATECONSUMER for a consumer it created), XACK, XCLAIM (claimed entries,
 * entries deleted from the stream, LASTID alone as XGROUP SETID), XAUTOCLAIM; and a blocked
 * XREADGROUP served by an XADD. XADD `*` is checked on replisim alone: the propagated ID is the one
 * it replied.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import {
  capturePropagation,
  expectSameCommands,
  expectSamePropagation,
  streamCommands,
} from './support/replication-stream.js';
import { flushBoth, useServerPair } from './support/server-pair.js';

const DONE = ['SET', 'done', '1'];

const WRITES: readonly (readonly string[])[] = [
  ['CONFIG', 'SET', 'stream-node-max-entries', '3'],
  ['XADD', 's', '1-1', 'f', 'v'],
  ['XADD', 's', '1-*', 'f', 'v'],
  ['XADD', 's', '2', 'f', 'v', 'g', 'w'],
  ['XADD', 's', '3-*', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '~', '2', '4-*', 'f', 'v'],
  ['XADD', 's', 'MAXLEN', '~', '2', 'LIMIT', '1', '5-0', 'f', 'v'],
  ['XADD', 's', 'MINID', '~', '5', '6-0', 'f', 'v'],
  ['XADD', 's', 'maxlen', '=', '100', '7-0', 'f', 'v'],
  ['XADD', 'nokey', 'NOMKSTREAM', '1-0', 'f', 'v'],
  ['XADD', 's', '1-0', 'f', 'v'],
  ['XTRIM', 's', 'MAXLEN', '~', '3'],
  ['XTRIM', 's', 'MAXLEN', '100'],
  ['XTRIM', 's', 'MINID', '~', '4'],
  ['XTRIM', 's', 'MAXLEN', '5'],
  ['XDEL', 's', '5-0', '99-0'],
  ['XDEL', 's', '99-0'],
  ['XSETID', 's', '10-0', 'ENTRIESADDED', '20', 'MAXDELETEDID', '5-0'],
  ['XADD', 's', '11-0', 'f', 'v'],
  ['XADD', 's', '12-0', 'f', 'v'],
  ['XADD', 's', '13-0', 'f', 'v'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 's', 'n', '$', 'ENTRIESREAD', '2'],
  ['XGROUP', 'SETID', 's', 'n', '0'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'],
  ['XREADGROUP', 'GROUP', 'n', 'c2', 'NOACK', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
  ['XACK', 's', 'g', '6-0', '11-0', '99-0'],
  ['XACK', 's', 'g', '99-0'],
  ['XCLAIM', 's', 'g', 'c4', '0', '12', 'JUSTID'],
  ['XCLAIM', 's', 'g', 'c4', '0', '11-0', 'RETRYCOUNT', '5', 'TIME', '1000', 'FORCE'],
  ['XCLAIM', 's', 'g', 'c4', '100000000', '13-0'],
  ['XCLAIM', 's', 'g', 'c4', '0', '99-0', 'LASTID', '50-0'],
  ['XDEL', 's', '11-0', '13-0'],
  ['XCLAIM', 's', 'g', 'c5', '0', '11-0'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'alice'],
  ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '5'],
  ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'JUSTID'],
  ['XGROUP', 'DELCONSUMER', 's', 'g', 'c6'],
  ['XGROUP', 'DESTROY', 's', 'n'],
  ['XGROUP', 'DESTROY', 's', 'n'],
  ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
  DONE,
];

describe('stream propagation against redis-server 7.0.15', () => {
  const servers = useServerPair();

  it('propagates every stream write as Redis does', async () => {
    const streams = await expectSamePropagation(servers(), WRITES);
    const names = streams.redis.map((argv) => argv.slice(0, 2).join(' ').toUpperCase());
    // Not vacuous: the rewrites really happened.
    expect(names).toContain('XCLAIM S');
    expect(names).toContain('XGROUP SETID');
    expect(streams.redis.some((argv) => argv.includes('='))).toBe(true);
  });

  it('propagates XADD * with the ID it replied', async () => {
    await flushBoth(servers().ports);
    const client = await RawClient.connect(servers().ports.replisim);
    const chunks: Buffer[] = [];
    const unsubscribe = servers().replisim.node.propagation.subscribe((chunk) =>
      chunks.push(chunk.bytes),
    );
    try {
      const reply = await client.call('XADD', 's', '*', 'f', 'v');
      const id = reply.bytes.toString('latin1').split('\r\n')[1];
      expect(streamCommands(Buffer.concat(chunks))).toEqual([['XADD', 's', id, 'f', 'v']]);
    } finally {
      unsubscribe();
      client.close();
    }
  });

  it('a blocked XREADGROUP served by XADD propagates the XADD then its XCLAIMs', async () => {
    const { ports } = servers();
    await flushBoth(ports);
    const clients = await Promise.all(
      [ports.redis, ports.redis, ports.replisim, ports.replisim].map((port) =>
        RawClient.connect(port),
      ),
    );
    const [redisReader, redisWriter, ourReader, ourWriter] = clients as [
      RawClient,
      RawClient,
      RawClient,
      RawClient,
    ];
    try {
      const streams = await capturePropagation(servers(), '$4\r\ndone\r\n', async () => {
        for (const [reader, writer] of [
          [redisReader, redisWriter],
          [ourReader, ourWriter],
        ] as const) {
          await writer.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
          reader.command('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
          reader.command(
            'XREADGROUP',
            'GROUP',
            'g',
            'd',
            'NOACK',
            'BLOCK',
            '0',
            'STREAMS',
            's',
            '>',
          );
          await new Promise((resolve) => setTimeout(resolve, 50));
          await writer.call('XADD', 's', '1-0', 'f', 'v');
          await reader.read(1, 2000);
          await writer.call('XADD', 's', '2-0', 'f', 'v');
          await reader.read(1, 2000);
          await writer.call(...DONE);
        }
      });
      expectSameCommands(streams.replisim, streams.redis);
      expect(streams.redis.map((argv) => argv[0])).toContain('XCLAIM');
    } finally {
      for (const client of clients) client.close();
    }
  });
});
