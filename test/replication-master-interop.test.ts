/**
 * A real redis-server 7.0.15 replicating from replisim: the master side must speak Redis's
 * protocol well enough that Redis's own replica code syncs, streams and resyncs from it.
 *
 * Method: a replisim node in this process on real sockets (its dump goes to a temp dir), filled
 * with a dataset of every type and encoding across three databases; then a real redis-server
 * started with `--replicaof` at it. Checks:
 * - the full sync: the replica's link comes up and DEBUG DIGEST (every key, value and TTL) and
 *   DBSIZE per database are equal on both;
 * - the stream: writes of every kind made afterwards (TTL rewrites, MULTI/EXEC, deletes,
 *   FLUSHDB of one database) reach the replica, which ends at replisim's master_repl_offset with
 *   the same digest;
 * - partial resync: the replica's link is killed from its side (CLIENT KILL TYPE master), writes
 *   continue meanwhile, and the replica reconnects with PSYNC, which replisim answers +CONTINUE
 *   (its INFO stats: sync_partial_ok 1, still one full sync), and the digests agree again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

const FAR_FUTURE_MS = Date.now() + 3_600_000;

function datasetCommands(): [number, string[][]][] {
  const db0: string[][] = [
    ['SET', 'str:embstr', 'hello'],
    ['SET', 'str:int', '1234567'],
    ['SET', 'str:raw', 'r'.repeat(60)],
    ['SET', 'str:binary', '\u0000\u00ff\u0001bin'],
    ['SET', 'str:ttl', 'expiring', 'PXAT', String(FAR_FUTURE_MS)],
    ['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '-3'],
    ['SADD', 'set:intset', '1', '2', '3', '-100', '70000'],
    ['SADD', 'set:hashtable', 'a', 'b', 'c'],
    ['HSET', 'hash:listpack', 'f1', 'v1', 'f2', '2'],
    ['HSET', 'hash:hashtable', 'f', 'v'.repeat(100)],
    ['ZADD', 'zset:listpack', '1', 'a', '2.5', 'b', '-3', 'c'],
    ['ZADD', 'zset:skiplist', '1', 'm'.repeat(100), '2', 'n'],
  ];
  const bigList = ['RPUSH', 'list:big'];
  for (let i = 0; i < 2000; i++) bigList.push(`element-${i}`);
  const bigHash = ['HSET', 'hash:big'];
  for (let i = 0; i < 600; i++) bigHash.push(`field-${i}`, String(i));
  const bigZset = ['ZADD', 'zset:big'];
  for (let i = 0; i < 200; i++) bigZset.push(String(i / 3), `member-${i}`);
  db0.push(bigList, bigHash, bigZset);
  return [
    [0, db0],
    [
      1,
      [
        ['SET', 'db1:key', 'one'],
        ['LPUSH', 'db1:list', 'x'],
      ],
    ],
    [5, [['SET', 'db5:key', 'five', 'PXAT', String(FAR_FUTURE_MS + 2)]]],
  ];
}

async function call(client: RawClient, ...argv: string[]): Promise<string> {
  return (await client.call(...argv)).bytes.toString('latin1');
}

async function run(client: RawClient, commands: readonly (readonly [number, string[][]])[]) {
  for (const [db, list] of commands) {
    await call(client, 'SELECT', String(db));
    for (const command of list) {
      expect(await call(client, ...command), command.slice(0, 2).join(' ')).toMatch(/^[+:*$]/);
    }
  }
  await call(client, 'SELECT', '0');
}

function field(info: string, name: string): string {
  return new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info)?.[1] ?? '';
}

async function until(predicate: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a real redis-server replicating from replisim', () => {
  let dir: string;
  let master: ReplisimNode;
  let replica: RedisServer | undefined;
  let onMaster: RawClient;
  let onReplica: RawClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replisim-master-'));
    master = await startReplisimNode(['--dir', dir, '--repl-diskless-sync', 'no']);
    onMaster = await RawClient.connect(master.port);
    await run(onMaster, datasetCommands());
    replica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
      '--enable-debug-command',
      'yes',
    ]);
    onReplica = await RawClient.connect(replica.port);
  }, 30_000);

  afterAll(async () => {
    onMaster?.close();
    onReplica?.close();
    await replica?.stop();
    master?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the replica applied everything replisim streamed, then compares the data. */
  async function expectInSync(): Promise<void> {
    await until(async () => {
      const ours = field(await call(onMaster, 'INFO', 'replication'), 'master_repl_offset');
      const info = await call(onReplica, 'INFO', 'replication');
      return (
        field(info, 'master_link_status') === 'up' && field(info, 'slave_repl_offset') === ours
      );
    }, 'the replica to catch up');
    expect(await call(onReplica, 'DEBUG', 'DIGEST')).toBe(await call(onMaster, 'DEBUG', 'DIGEST'));
    for (const db of ['0', '1', '5']) {
      await call(onMaster, 'SELECT', db);
      await call(onReplica, 'SELECT', db);
      expect(await call(onReplica, 'DBSIZE')).toBe(await call(onMaster, 'DBSIZE'));
    }
    await call(onMaster, 'SELECT', '0');
    await call(onReplica, 'SELECT', '0');
  }

  it('takes a full sync of every type and matches the digest', async () => {
    await expectInSync();
    const stats = await call(onMaster, 'INFO', 'stats');
    expect(field(stats, 'sync_full')).toBe('1');
    const info = await call(onMaster, 'INFO', 'replication');
    expect(field(info, 'connected_slaves')).toBe('1');
    expect(field(info, 'slave0')).toMatch(
      new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica?.port},state=online,offset=\\d+,lag=\\d+$`),
    );
    // The replica adopted replisim's history.
    const theirs = await call(onReplica, 'INFO', 'replication');
    expect(field(theirs, 'master_replid')).toBe(field(info, 'master_replid'));
  }, 30_000);

  it('shows INFO replication fields in the order a real master does, and ROLE in its shape', async () => {
    // The reference: a real master with one real replica attached.
    const realMaster = await startRedisServer(['--repl-diskless-sync', 'no']);
    const realReplica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(realMaster.port),
    ]);
    const onRealMaster = await RawClient.connect(realMaster.port);
    try {
      await until(
        async () =>
          field(await call(onRealMaster, 'INFO', 'replication'), 'slave0').includes('online'),
        'the real replica to come online',
      );
      const names = (info: string) =>
        info
          .split('\r\n')
          .filter((line) => line.includes(':'))
          .map((line) => line.slice(0, line.indexOf(':')));
      const theirs = await call(onRealMaster, 'INFO', 'replication');
      const ours = await call(onMaster, 'INFO', 'replication');
      expect(names(ours)).toEqual(names(theirs));
      // ROLE: master, offset, [[ip, port, offset]] with port and offset as bulk strings.
      const shape = (reply: string) =>
        reply.replace(/\$\d+\r\n[^\r]*\r\n/g, '$').replace(/:\d+/g, ':n');
      expect(shape(await call(onMaster, 'ROLE'))).toBe(shape(await call(onRealMaster, 'ROLE')));

      // The replica shape: a replisim replica of the same real master, next to the real replica.
      const replisimReplica = await startReplisimNode([
        '--dir',
        dir,
        '--dbfilename',
        'replica.rdb',
        '--replicaof',
        '127.0.0.1',
        String(realMaster.port),
      ]);
      const onReplisimReplica = await RawClient.connect(replisimReplica.port);
      const onRealReplica = await RawClient.connect(realReplica.port);
      try {
        await until(
          async () =>
            field(await call(onReplisimReplica, 'INFO', 'replication'), 'master_link_status') ===
            'up',
          'the replisim replica link to come up',
        );
        expect(names(await call(onReplisimReplica, 'INFO', 'replication'))).toEqual(
          names(await call(onRealReplica, 'INFO', 'replication')),
        );
        expect(shape(await call(onReplisimReplica, 'ROLE'))).toBe(
          shape(await call(onRealReplica, 'ROLE')),
        );
      } finally {
        onReplisimReplica.close();
        onRealReplica.close();
        replisimReplica.stop();
      }
    } finally {
      onRealMaster.close();
      await realReplica.stop();
      await realMaster.stop();
    }
  }, 30_000);

  it('applies the streamed writes', async () => {
    await run(onMaster, [
      [
        0,
        [
          ['SET', 'later', 'v', 'EX', '1000'],
          ['INCRBYFLOAT', 'float', '1.5'],
          ['EXPIRE', 'str:embstr', '5000'],
          ['LPOP', 'list:small'],
          ['HDEL', 'hash:big', 'field-1'],
          ['ZINCRBY', 'zset:big', '10', 'member-3'],
          ['DEL', 'set:hashtable'],
        ],
      ],
      [1, [['FLUSHDB']]],
      [5, [['SADD', 'db5:set', 'a', 'b']]],
    ]);
    expect(await call(onMaster, 'MULTI')).toBe('+OK\r\n');
    await call(onMaster, 'SET', 'tx1', 'a');
    await call(onMaster, 'INCR', 'tx2');
    expect(await call(onMaster, 'EXEC')).toBe('*2\r\n+OK\r\n:1\r\n');
    await expectInSync();
  }, 30_000);

  it('reconnects with a partial resync after its link is killed', async () => {
    expect(await call(onReplica, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(':1\r\n');
    await call(onMaster, 'SET', 'during-the-gap', 'x');
    await call(onMaster, 'RPUSH', 'list:big', 'tail');
    await until(
      async () => field(await call(onMaster, 'INFO', 'stats'), 'sync_partial_ok') === '1',
      'a partial resync',
    );
    const stats = await call(onMaster, 'INFO', 'stats');
    expect(field(stats, 'sync_full')).toBe('1');
    expect(field(stats, 'sync_partial_err')).toBe('0');
    await call(onMaster, 'SET', 'after-the-gap', 'y');
    await expectInSync();
    expect(
      master.logs.some((line) => line.includes('Partial resynchronization request from')),
    ).toBe(true);
  }, 30_000);
});

describe('a real redis-server taking a diskless sync from replisim', () => {
  let dir: string;
  let master: ReplisimNode;
  let replica: RedisServer | undefined;
  let onMaster: RawClient;
  let onReplica: RawClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'replisim-master-'));
    master = await startReplisimNode([
      '--dir',
      dir,
      '--repl-diskless-sync',
      'yes',
      '--repl-diskless-sync-delay',
      '0',
    ]);
    onMaster = await RawClient.connect(master.port);
    await run(onMaster, datasetCommands());
    replica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
      '--enable-debug-command',
      'yes',
    ]);
    onReplica = await RawClient.connect(replica.port);
  }, 30_000);

  afterAll(async () => {
    onMaster?.close();
    onReplica?.close();
    await replica?.stop();
    master?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the $EOF-framed payload, starts its stream after its first ACK, and matches', async () => {
    await until(async () => {
      const info = await call(onReplica, 'INFO', 'replication');
      return field(info, 'master_link_status') === 'up';
    }, 'the link to come up');
    await call(onMaster, 'SET', 'after-sync', '1');
    await call(onMaster, 'LPUSH', 'list:small', 'head');
    await until(async () => {
      const ours = field(await call(onMaster, 'INFO', 'replication'), 'master_repl_offset');
      const info = await call(onReplica, 'INFO', 'replication');
      return field(info, 'slave_repl_offset') === ours;
    }, 'the replica to catch up');
    expect(await call(onReplica, 'DEBUG', 'DIGEST')).toBe(await call(onMaster, 'DEBUG', 'DIGEST'));
    expect(
      master.logs.some((line) =>
        line.includes('Starting BGSAVE for SYNC with target: replicas sockets'),
      ),
    ).toBe(true);
    expect(master.logs.some((line) => line.includes('succeeded (socket)'))).toBe(true);
  }, 30_000);
});
