/**
 * FAILOVER between real processes, replisim and redis-server 7.0.15 in both roles:
 *
 * - the refusals, compared byte for byte with Redis on a master without replicas and on a replica;
 * - a coordinated failover from a master to its replica, for each pairing (replisim -> Redis,
 *   Redis -> replisim, replisim -> replisim): the target becomes a master, the old master its
 *   replica through a partial resync (the target counts sync_partial_ok), no acknowledged write is
 *   lost, master_failover_state goes back to no-failover, and a write to the new master reaches the
 *   old one;
 * - FAILOVER ABORT while waiting for a replica that cannot catch up (paused with CLIENT PAUSE):
 *   writes paused meanwhile run again on the master, which is still the master.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, type RawReply } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

const text = (reply: RawReply | undefined): string => reply?.bytes.toString('latin1') ?? '';

interface Server {
  readonly port: number;
  stop(): Promise<void> | void;
}

type Kind = 'redis' | 'replisim';

const FAST_SYNC = ['--repl-diskless-sync-delay', '0'];

function start(kind: Kind): Promise<Server> {
  return kind === 'redis' ? startRedisServer(FAST_SYNC) : startReplisimNode(FAST_SYNC);
}

async function field(client: RawClient, name: string): Promise<string> {
  const info = text(await client.call('INFO', 'replication'));
  return new RegExp(`${name}:(\\S*)`).exec(info)?.[1] ?? '';
}

describe('FAILOVER', () => {
  const running: Server[] = [];
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(running.splice(0).map((server) => server.stop()));
  });

  async function server(kind: Kind): Promise<{ port: number; client: RawClient }> {
    const started = await start(kind);
    running.push(started);
    const client = await RawClient.connect(started.port);
    clients.push(client);
    return { port: started.port, client };
  }

  it('refuses as Redis does', async () => {
    const transcripts = await Promise.all(
      (['redis', 'replisim'] as const).map(async (kind) => {
        const { client } = await server(kind);
        const out: string[] = [];
        for (const argv of [
          ['FAILOVER'],
          ['FAILOVER', 'ABORT'],
          ['FAILOVER', 'TIMEOUT', 'x'],
          ['FAILOVER', 'TIMEOUT', '0'],
          ['FAILOVER', 'TIMEOUT', '10', 'TIMEOUT', '10'],
          ['FAILOVER', 'TO', 'a'],
          ['FAILOVER', 'TO', 'a', 'b'],
          ['FAILOVER', 'FORCE'],
          ['FAILOVER', 'FORCE', 'FORCE'],
          ['FAILOVER', 'ABORT', 'x'],
          ['FAILOVER', 'TO', '127.0.0.1', '1', 'TIMEOUT', '5', 'FORCE'],
        ]) {
          out.push(text(await client.call(...argv)));
        }
        return out;
      }),
    );
    expect(transcripts[1]).toEqual(transcripts[0]);
    expect(transcripts[0]).toContain('-ERR FAILOVER requires connected replicas.\r\n');
  });

  for (const [masterKind, replicaKind] of [
    ['replisim', 'redis'],
    ['redis', 'replisim'],
    ['replisim', 'replisim'],
  ] as const) {
    it(`hands a ${masterKind} master over to a ${replicaKind} replica`, async () => {
      const master = await server(masterKind);
      const replica = await server(replicaKind);
      if (masterKind === 'replisim')
        await master.client.call('CONFIG', 'SET', 'protected-mode', 'no');
      await replica.client.call('REPLICAOF', '127.0.0.1', String(master.port));
      await waitUntil('the replica to come online', async () =>
        (await field(master.client, 'slave0')).includes('state=online'),
      );
      // Refused while it is a replica, and for a target that is not a replica.
      expect(text(await replica.client.call('FAILOVER'))).toBe(
        '-ERR FAILOVER is not valid when server is a replica.\r\n',
      );
      expect(text(await master.client.call('FAILOVER', 'TO', '127.0.0.1', '1'))).toBe(
        '-ERR FAILOVER target HOST and PORT is not a replica.\r\n',
      );
      for (let i = 0; i < 50; i++) await master.client.call('SET', `k${i}`, String(i));
      const partialBefore = Number(
        /sync_partial_ok:(\d+)/.exec(text(await replica.client.call('INFO', 'stats')))?.[1],
      );
      expect(
        text(await master.client.call('FAILOVER', 'TO', '127.0.0.1', String(replica.port))),
      ).toBe('+OK\r\n');
      expect(text(await master.client.call('REPLICAOF', 'NO', 'ONE'))).toMatch(
        /^-ERR REPLICAOF not allowed while failing over\.\r\n$|^\+OK/,
      );
      await waitUntil('the old master to follow the new one', async () => {
        const role = await field(master.client, 'role');
        const link = await field(master.client, 'master_link_status');
        return role === 'slave' && link === 'up';
      });
      expect(await field(replica.client, 'role')).toBe('master');
      expect(await field(master.client, 'master_failover_state')).toBe('no-failover');
      const stats = text(await replica.client.call('INFO', 'stats'));
      expect(Number(/sync_partial_ok:(\d+)/.exec(stats)?.[1])).toBe(partialBefore + 1);
      // Every write made before FAILOVER is on the new master, and nothing else.
      const keys = text(await replica.client.call('KEYS', '*'));
      expect(text(await replica.client.call('DBSIZE')), keys).toBe(':50\r\n');
      await replica.client.call('SET', 'after', 'yes');
      await waitUntil('the write to reach the old master', async () =>
        text(await master.client.call('GET', 'after')).includes('yes'),
      );
    });
  }

  it('aborts while the replica cannot catch up, and the paused writes run on the master', async () => {
    const master = await server('replisim');
    const replica = await server('replisim');
    await master.client.call('CONFIG', 'SET', 'protected-mode', 'no');
    await replica.client.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitUntil('the replica to come online', async () =>
      (await field(master.client, 'slave0')).includes('state=online'),
    );
    // The replica stops applying the stream, so it can never acknowledge the master's offset.
    await replica.client.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    await master.client.call('SET', 'x', '1');
    expect(text(await master.client.call('FAILOVER'))).toBe('+OK\r\n');
    expect(await field(master.client, 'master_failover_state')).toBe('waiting-for-sync');
    const writer = await RawClient.connect(master.port);
    clients.push(writer);
    writer.command('SET', 'y', '2');
    await waitUntil('the write to wait', async () =>
      /blocked_clients:1/.test(text(await master.client.call('INFO', 'clients'))),
    );
    expect(text(await master.client.call('FAILOVER', 'ABORT'))).toBe('+OK\r\n');
    expect(text((await writer.read(1))[0])).toBe('+OK\r\n');
    expect(await field(master.client, 'role')).toBe('master');
    expect(await field(master.client, 'master_failover_state')).toBe('no-failover');
    expect(text(await master.client.call('FAILOVER', 'ABORT'))).toBe(
      '-ERR No failover in progress.\r\n',
    );
    await replica.client.call('CLIENT', 'UNPAUSE');
  });
});
