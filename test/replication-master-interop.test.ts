/**
 * A real redis-server 7.0.15 replicating from replisim: the master side must speak Redis's
 * protocol well enough that Redis's own replica code syncs, streams and resyncs from it.
 *
 * Method: a replisim node in this process on real sockets (its dump goes to a temp dir), filled
 * with a dataset of every type and encoding across three databases (support/interop-dataset.ts);
 * then a real redis-server started with `--replicaof` at it. Checks:
 * - the full sync: the replica's link comes up and DEBUG DIGEST (every key, value and TTL) and
 *   DBSIZE per database are equal on both;
 * - the stream: writes of every kind made afterwards (TTL rewrites, MULTI/EXEC, deletes,
 *   FLUSHDB of one database) reach the replica, which ends at replisim's master_repl_offset with
 *   the same digest;
 * - partial resync: the replica's link is killed from its side (CLIENT KILL TYPE master), writes
 *   continue meanwhile, and the replica reconnects with PSYNC, which replisim answers +CONTINUE
 *   (its INFO stats: sync_partial_ok 1, still one full sync), and the digests agree again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { interopDataset } from './support/interop-dataset.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

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

interface MasterAndReplica {
  /** The master's working directory (its dump). */
  readonly dir: string;
  readonly master: ReplisimNode;
  readonly replica: RedisServer;
  readonly onMaster: RawClient;
  readonly onReplica: RawClient;
}

/**
 * Registers, in the calling describe, a beforeAll that starts a replisim master (`masterArgs`
 * added, its dump in a temp dir), fills it with the dataset and starts a real redis-server with
 * `--replicaof` at it; and an afterAll that stops them. Returns the accessor the tests use.
 */
function useReplisimMaster(masterArgs: readonly string[]): () => MasterAndReplica {
  const cleanups = new Cleanups();
  let started: MasterAndReplica | undefined;

  beforeAll(async () => {
    const dir = cleanups.tempDir('replisim-master-');
    const master = await startReplisimNode([
      '--dir',
      dir,
      '--enable-debug-command',
      'yes',
      ...masterArgs,
    ]);
    cleanups.add(() => master.stop());
    const onMaster = await RawClient.connect(master.port);
    cleanups.add(() => onMaster.close());
    await run(onMaster, [...interopDataset()]);
    const replica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
      '--enable-debug-command',
      'yes',
    ]);
    cleanups.add(() => replica.stop());
    const onReplica = await RawClient.connect(replica.port);
    cleanups.add(() => onReplica.close());
    started = { dir, master, replica, onMaster, onReplica };
  }, 30_000);

  afterAll(() => cleanups.run());

  return () => {
    if (started === undefined) throw new Error('servers not started');
    return started;
  };
}

describe('a real redis-server replicating from replisim', () => {
  const servers = useReplisimMaster(['--repl-diskless-sync', 'no']);

  /** Waits until the replica applied everything replisim streamed, then compares the data. */
  async function expectInSync(): Promise<void> {
    const { onMaster, onReplica } = servers();
    await waitUntil('the replica to catch up', async () => {
      const ours = field(await call(onMaster, 'INFO', 'replication'), 'master_repl_offset');
      const info = await call(onReplica, 'INFO', 'replication');
      return (
        field(info, 'master_link_status') === 'up' && field(info, 'slave_repl_offset') === ours
      );
    });
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
    const { onMaster, onReplica, replica } = servers();
    await expectInSync();
    const stats = await call(onMaster, 'INFO', 'stats');
    expect(field(stats, 'sync_full')).toBe('1');
    const info = await call(onMaster, 'INFO', 'replication');
    expect(field(info, 'connected_slaves')).toBe('1');
    expect(field(info, 'slave0')).toMatch(
      new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=\\d+$`),
    );
    // The replica adopted replisim's history.
    const theirs = await call(onReplica, 'INFO', 'replication');
    expect(field(theirs, 'master_replid')).toBe(field(info, 'master_replid'));
  }, 30_000);

  it('shows INFO replication fields in the order a real master does, and ROLE in its shape', async () => {
    const { dir, onMaster } = servers();
    // The reference: a real master with one real replica attached.
    const realMaster = await startRedisServer(['--repl-diskless-sync', 'no']);
    const realReplica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(realMaster.port),
    ]);
    const onRealMaster = await RawClient.connect(realMaster.port);
    try {
      await waitUntil('the real replica to come online', async () =>
        field(await call(onRealMaster, 'INFO', 'replication'), 'slave0').includes('online'),
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
        await waitUntil(
          'the replisim replica link to come up',
          async () =>
            field(await call(onReplisimReplica, 'INFO', 'replication'), 'master_link_status') ===
            'up',
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
    const { onMaster } = servers();
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
    const { master, onMaster, onReplica } = servers();
    expect(await call(onReplica, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(':1\r\n');
    await call(onMaster, 'SET', 'during-the-gap', 'x');
    await call(onMaster, 'RPUSH', 'list:big', 'tail');
    await waitUntil(
      'a partial resync',
      async () => field(await call(onMaster, 'INFO', 'stats'), 'sync_partial_ok') === '1',
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
  const servers = useReplisimMaster([
    '--repl-diskless-sync',
    'yes',
    '--repl-diskless-sync-delay',
    '0',
  ]);

  it('loads the $EOF-framed payload, starts its stream after its first ACK, and matches', async () => {
    const { master, onMaster, onReplica } = servers();
    await waitUntil('the link to come up', async () => {
      const info = await call(onReplica, 'INFO', 'replication');
      return field(info, 'master_link_status') === 'up';
    });
    await call(onMaster, 'SET', 'after-sync', '1');
    await call(onMaster, 'LPUSH', 'list:small', 'head');
    await waitUntil('the replica to catch up', async () => {
      const ours = field(await call(onMaster, 'INFO', 'replication'), 'master_repl_offset');
      const info = await call(onReplica, 'INFO', 'replication');
      return field(info, 'slave_repl_offset') === ours;
    });
    expect(await call(onReplica, 'DEBUG', 'DIGEST')).toBe(await call(onMaster, 'DEBUG', 'DIGEST'));
    expect(
      master.logs.some((line) =>
        line.includes('Starting BGSAVE for SYNC with target: replicas sockets'),
      ),
    ).toBe(true);
    expect(master.logs.some((line) => line.includes('succeeded (socket)'))).toBe(true);
  }, 30_000);
});
