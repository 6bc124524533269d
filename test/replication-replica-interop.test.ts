/**
 * replisim as the REPLICA of a real redis-server 7.0.15 master (reference §4), on real sockets.
 * Goal: whatever Redis sends a replica (disk payload `$<len>`, diskless payload `$EOF:<mark>`, the
 * command stream with its rewrites, MULTI/EXEC, PINGs and GETACKs), replisim applies into the same
 * dataset, acknowledges the right offset, and continues after a dropped link with a partial resync.
 *
 * Method: the master is filled with every type and encoding across three databases
 * (support/interop-dataset.ts); replisim (in process, test/support/replisim-node.ts) runs
 * REPLICAOF; "same dataset" is DEBUG DIGEST on both (TTLs included) once replisim's applied offset
 * equals the master's master_repl_offset. The partial resync is judged by the master itself: INFO
 * stats sync_partial_ok.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { interopDatasetScript } from './support/interop-dataset.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

/** Writes whose propagated forms Redis rewrites (§3.3), plus a transaction. */
function streamedWrites(round: number): string[][] {
  return [
    ['SET', `s:${round}`, 'v', 'EX', '100'],
    ['INCRBYFLOAT', `f:${round}`, '1.5'],
    ['EXPIRE', 'str:embstr', '500'],
    ['GETDEL', 'str:int'],
    ['LPUSH', 'list:small', `x${round}`],
    ['HINCRBY', 'hash:listpack', 'f2', '3'],
    ['ZINCRBY', 'zset:listpack', '2', 'a'],
    ['SREM', 'set:hashtable', 'b'],
    ['SELECT', '1'],
    ['MULTI'],
    ['SET', `t:${round}`, 'in-multi'],
    ['DEL', 'db1:key'],
    ['EXEC'],
    ['SELECT', '0'],
  ];
}

const cleanups = new Cleanups();

afterEach(() => cleanups.run());

async function realRedis(
  args: readonly string[],
): Promise<{ server: RedisServer; client: RawClient }> {
  const server = await startRedisServer(['--enable-debug-command', 'yes', ...args]);
  cleanups.add(() => server.stop());
  const client = await RawClient.connect(server.port);
  cleanups.add(() => client.close());
  return { server, client };
}

async function replisim(
  args: readonly string[] = [],
): Promise<{ node: ReplisimNode; client: RawClient }> {
  const node = await startReplisimNode([
    '--dir',
    cleanups.tempDir('replisim-replica-'),
    '--enable-debug-command',
    'yes',
    ...args,
  ]);
  cleanups.add(() => node.stop());
  const client = await RawClient.connect(node.port);
  cleanups.add(() => client.close());
  return { node, client };
}

async function run(client: RawClient, commands: readonly string[][]): Promise<void> {
  for (const command of commands) {
    const reply = (await client.call(...command)).bytes.toString('latin1');
    expect(reply, command.slice(0, 2).join(' ')).not.toMatch(/^-/);
  }
}

async function text(client: RawClient, ...argv: string[]): Promise<string> {
  return (await client.call(...argv)).bytes.toString('latin1');
}

async function infoField(client: RawClient, section: string, field: string): Promise<string> {
  const info = await text(client, 'INFO', section);
  const match = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(`\r\n${info}`);
  if (match?.[1] === undefined) throw new Error(`no ${field} in INFO ${section}`);
  return match[1];
}

/** Waits until replisim applied everything the master has sent so far. */
async function caughtUp(master: RawClient, node: ReplisimNode): Promise<void> {
  await waitUntil('replisim to catch up', async () => {
    const masterOffset = Number(await infoField(master, 'replication', 'master_repl_offset'));
    return node.node.replicaLink?.status().replOffset === masterOffset;
  });
}

/**
 * Like waitUntil, but checks on every turn of the event loop (setImmediate), for a state of the
 * in-process node that may last only a few milliseconds.
 */
async function waitUntilImmediate(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function expectSameDigest(master: RawClient, replica: RawClient): Promise<void> {
  const expected = await text(master, 'DEBUG', 'DIGEST');
  expect(await text(replica, 'DEBUG', 'DIGEST')).toBe(expected);
}

/** A real master (disk sync) filled with the dataset, and a replisim replica of it caught up. */
async function syncedReplica(replicaArgs: readonly string[] = []): Promise<{
  master: RawClient;
  node: ReplisimNode;
  replica: RawClient;
}> {
  const { server, client: master } = await realRedis(['--repl-diskless-sync', 'no']);
  await run(master, interopDatasetScript());
  const { node, client: replica } = await replisim(replicaArgs);
  await run(replica, [['REPLICAOF', '127.0.0.1', String(server.port)]]);
  await waitUntil('the link to come up', () => node.node.replicaLink?.connected === true);
  await caughtUp(master, node);
  return { master, node, replica };
}

/**
 * After the link was dropped (by either side): writes `round` go on meanwhile, the replica comes
 * back with a partial resync (the master's own count, sync_partial_ok), and ends with its data.
 */
async function expectPartialResync(
  master: RawClient,
  node: ReplisimNode,
  replica: RawClient,
  round: number,
): Promise<void> {
  await run(master, streamedWrites(round));
  await waitUntil(
    'the partial resync',
    async () => (await infoField(master, 'stats', 'sync_partial_ok')) === '1',
  );
  await caughtUp(master, node);
  await expectSameDigest(master, replica);
}

describe('replisim replica of a real redis-server master', () => {
  const DISKLESS = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  it.each([
    ['disk payload ($<len>) into a temp file', ['--repl-diskless-sync', 'no'], []],
    ['diskless payload ($EOF:<mark>) into a temp file', DISKLESS, []],
    [
      'diskless payload loaded from the socket (swapdb)',
      DISKLESS,
      ['--repl-diskless-load', 'swapdb'],
    ],
  ])(
    'full sync with a %s gives the same dataset, then the stream keeps it equal',
    async (_name, args, replicaArgs) => {
      const { server, client: master } = await realRedis(args);
      await run(master, interopDatasetScript());
      const { node, client: replica } = await replisim(replicaArgs);
      expect(await text(replica, 'REPLICAOF', '127.0.0.1', String(server.port))).toBe('+OK\r\n');
      await waitUntil('the link to come up', () => node.node.replicaLink?.connected === true);
      await caughtUp(master, node);
      await expectSameDigest(master, replica);
      expect(await text(replica, 'DBSIZE')).toBe(await text(master, 'DBSIZE'));
      // The old data stays readable, writes are refused (READONLY), the master client writes.
      expect(await text(replica, 'SET', 'x', '1')).toBe(
        "-READONLY You can't write against a read only replica.\r\n",
      );
      for (let round = 0; round < 3; round++) await run(master, streamedWrites(round));
      await caughtUp(master, node);
      await expectSameDigest(master, replica);
      // WAIT makes the master send REPLCONF GETACK *: our answer covers its last write.
      await run(master, [['SET', 'waited', 'for']]);
      expect(await text(master, 'WAIT', '1', '5000')).toBe(':1\r\n');
      // The master sees our ACKs: its view of our offset reaches its own offset.
      const masterOffset = await infoField(master, 'replication', 'master_repl_offset');
      await waitUntil('the ACK', async () =>
        (await infoField(master, 'replication', 'slave0')).includes(`offset=${masterOffset}`),
      );
      expect(await text(replica, 'REPLICAOF', '127.0.0.1', String(server.port))).toBe(
        '+OK Already connected to specified master\r\n',
      );
    },
  );

  it('loads a multi-megabyte payload while clients get -LOADING, then streams', async () => {
    // 6,000 values of 1,000 bytes, not compressed: a payload of about 6 MB, past the 2 MB at which
    // a loading node first runs what clients sent meanwhile (processEventsWhileBlocked), in few
    // records, so the test costs little CPU however loaded the machine is.
    const { server, client: master } = await realRedis([
      '--repl-diskless-sync',
      'no',
      '--rdbcompression',
      'no',
    ]);
    await run(master, [['DEBUG', 'POPULATE', '6000', 'key', '1000']]);
    const { node, client: replica } = await replisim();
    await run(replica, [['REPLICAOF', '127.0.0.1', String(server.port)]]);
    // The node runs in this process: a GET goes out the moment its load starts, and is answered
    // at the first 2 MB mark, however long the load takes to get there.
    await waitUntilImmediate('the load to start', () => node.node.loading !== undefined);
    replica.command('GET', 'key:1');
    const [reply] = await replica.read(1, 20_000);
    expect(reply?.bytes.toString('latin1')).toBe(
      '-LOADING Redis is loading the dataset in memory\r\n',
    );
    await waitUntil('the link to come up', () => node.node.replicaLink?.connected === true);
    await run(master, streamedWrites(1));
    await caughtUp(master, node);
    await expectSameDigest(master, replica);
    expect(await text(replica, 'DBSIZE')).toBe(await text(master, 'DBSIZE'));
  }, 30_000);

  it('authenticates with masterauth (and masteruser) to a master that requires it', async () => {
    const { server, client: master } = await realRedis([
      '--requirepass',
      'secret',
      '--repl-diskless-sync',
      'no',
    ]);
    await run(master, [
      ['AUTH', 'secret'],
      ['ACL', 'SETUSER', 'repl', 'on', '>replpw', '+@all', '~*'],
    ]);
    await run(master, interopDatasetScript());
    const { node, client: replica } = await replisim([
      '--masteruser',
      'repl',
      '--masterauth',
      'replpw',
    ]);
    await run(replica, [['REPLICAOF', '127.0.0.1', String(server.port)]]);
    await waitUntil('the link to come up', () => node.node.replicaLink?.connected === true);
    await caughtUp(master, node);
    await expectSameDigest(master, replica);
  });

  it('continues with a partial resync after the master drops the link', async () => {
    const { master, node, replica } = await syncedReplica();
    expect(await text(master, 'CLIENT', 'KILL', 'TYPE', 'replica')).toBe(':1\r\n');
    await expectPartialResync(master, node, replica, 7);
    expect(await infoField(master, 'stats', 'sync_full')).toBe('1');
  });

  it('continues with a partial resync after the replica drops the link (CLIENT KILL TYPE master)', async () => {
    const { master, node, replica } = await syncedReplica();
    expect(await text(replica, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(':1\r\n');
    await expectPartialResync(master, node, replica, 3);
  });

  it('after REPLICAOF NO ONE, a real replica of replisim continues with +CONTINUE', async () => {
    const {
      master: topClient,
      node,
      replica: middle,
    } = await syncedReplica(['--repl-diskless-sync-delay', '0']);
    const { client: bottom } = await realRedis([]);
    await run(bottom, [['REPLICAOF', '127.0.0.1', String(node.port)]]);
    await waitUntil(
      'the real sub-replica to sync',
      async () => (await infoField(bottom, 'replication', 'master_link_status')) === 'up',
    );
    await run(topClient, streamedWrites(1));
    await caughtUp(topClient, node);
    const offset = await infoField(topClient, 'replication', 'master_repl_offset');
    await waitUntil(
      'the chain to carry the stream',
      async () => (await infoField(bottom, 'replication', 'master_repl_offset')) === offset,
    );
    // The chain shares the top master's id and offsets (§4.5).
    expect(await infoField(bottom, 'replication', 'master_replid')).toBe(
      await infoField(topClient, 'replication', 'master_replid'),
    );
    await expectSameDigest(topClient, bottom);
    expect(await text(middle, 'REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    const newId = node.node.repl.replid;
    await waitUntil(
      'the sub-replica to continue under the new id',
      async () =>
        (await infoField(bottom, 'replication', 'master_replid')) === newId &&
        (await infoField(bottom, 'replication', 'master_link_status')) === 'up',
    );
    expect(node.node.master.counters.partialOk).toBe(1);
    expect(node.node.master.counters.full).toBe(1);
    await run(middle, [['SET', 'after', 'promotion']]);
    await waitUntil(
      'the write to reach the sub-replica',
      async () => (await text(bottom, 'GET', 'after')) === '$9\r\npromotion\r\n',
    );
    await expectSameDigest(middle, bottom);
  });
});
