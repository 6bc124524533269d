/**
 * ACL on the replication link, a real redis-server replicating from a replisim master: a replica
 * that authenticates as a user allowed only PSYNC, REPLCONF and PING (masteruser/masterauth)
 * syncs and receives the stream; one whose user lacks PSYNC and SYNC is refused, and the master's
 * ACL LOG names the refused command and the user, as Redis's would.
 *
 * Method: replisim master with `requirepass` and `user` lines in its configuration; real replicas
 * pointed at it with --masteruser/--masterauth; INFO replication on the replica and ACL LOG on the
 * master are read until they settle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

async function call(client: RawClient, ...argv: string[]): Promise<string> {
  return (await client.call(...argv)).bytes.toString('latin1');
}

function field(info: string, name: string): string {
  return new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info)?.[1] ?? '';
}

describe('replication through an ACL user', () => {
  const cleanups = new Cleanups();
  let master: ReplisimNode | undefined;
  let onMaster: RawClient | undefined;

  beforeAll(async () => {
    master = await startReplisimNode([
      '--save',
      '',
      '--repl-diskless-sync-delay',
      '0',
      '--requirepass',
      'secret',
      '--user',
      'repl',
      'on',
      '>replpw',
      '+psync',
      '+replconf',
      '+ping',
      '--user',
      'norepl',
      'on',
      '>nopw',
      '+replconf',
      '+ping',
    ]);
    const started = master;
    cleanups.add(() => started.stop());
    onMaster = await RawClient.connect(master.port);
    const client = onMaster;
    cleanups.add(() => client.close());
    expect(await call(onMaster, 'AUTH', 'secret')).toBe('+OK\r\n');
  }, 30_000);

  afterAll(() => cleanups.run());

  it('syncs and streams to a replica whose user may only PSYNC, REPLCONF and PING', async () => {
    if (master === undefined || onMaster === undefined) throw new Error('not started');
    await call(onMaster, 'SET', 'before', '1');
    const replica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
      '--masteruser',
      'repl',
      '--masterauth',
      'replpw',
    ]);
    cleanups.add(() => replica.stop());
    const onReplica = await RawClient.connect(replica.port);
    cleanups.add(() => onReplica.close());
    await call(onMaster, 'SET', 'after', '2');
    await waitUntil('the replica to receive the stream', async () => {
      const info = await call(onReplica, 'INFO', 'replication');
      return (
        field(info, 'master_link_status') === 'up' &&
        (await call(onReplica, 'GET', 'after')) === '$1\r\n2\r\n'
      );
    });
    expect(await call(onReplica, 'GET', 'before')).toBe('$1\r\n1\r\n');
  }, 20_000);

  it('refuses a replica whose user lacks PSYNC and SYNC, and logs it', async () => {
    if (master === undefined || onMaster === undefined) throw new Error('not started');
    const client = onMaster;
    await call(client, 'ACL', 'LOG', 'RESET');
    const replica = await startRedisServer([
      '--replicaof',
      '127.0.0.1',
      String(master.port),
      '--masteruser',
      'norepl',
      '--masterauth',
      'nopw',
    ]);
    cleanups.add(() => replica.stop());
    await waitUntil('the refusal to be logged', async () =>
      (await call(client, 'ACL', 'LOG')).includes('psync'),
    );
    const log = await call(client, 'ACL', 'LOG');
    expect(log).toContain('$6\r\nreason\r\n$7\r\ncommand\r\n');
    expect(log).toContain('$6\r\nobject\r\n$5\r\npsync\r\n');
    expect(log).toContain('$8\r\nusername\r\n$6\r\nnorepl\r\n');
    const onReplica = await RawClient.connect(replica.port);
    try {
      expect(field(await call(onReplica, 'INFO', 'replication'), 'master_link_status')).toBe(
        'down',
      );
    } finally {
      onReplica.close();
    }
  }, 20_000);
});
