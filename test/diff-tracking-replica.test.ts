/**
 * Client-side caching on a replica, against Redis: a real redis-server 7.0.15 master with two
 * replicas, a real one and replisim. On each replica a RESP3 client tracks in default mode and
 * another in BCAST mode; the master's writes reach the replicas through the replication stream,
 * and each replica's clients must receive the same bytes (invalidations of keys the master
 * changed, the null of a FLUSHALL, a DEL of an expired key).
 *
 * Method: after every master write, both replicas are awaited until they applied the master's
 * offset, so each write is its own event on each replica (BCAST batches then match); then every
 * tracking connection is drained with `PING <marker>` and the bytes compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

async function infoField(client: RawClient, field: string): Promise<string> {
  const info = (await client.call('INFO', 'replication')).bytes.toString('latin1');
  const match = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(`\r\n${info}`);
  if (match?.[1] === undefined) throw new Error(`no ${field} in INFO replication`);
  return match[1];
}

/** Everything `client` received, up to the answer to a PING sent now (marker left out). */
async function drained(client: RawClient, marker: string): Promise<string> {
  client.command('PING', marker);
  let received = '';
  for (let i = 0; i < 100; i++) {
    const [reply] = await client.read(1, 5000);
    if (reply === undefined) throw new Error('no reply');
    const bytes = reply.bytes.toString('latin1');
    if (bytes.includes(marker)) return received;
    received += bytes;
  }
  throw new Error('the PING never came back');
}

interface ReplicaSide {
  readonly control: RawClient;
  readonly tracker: RawClient;
  readonly broadcast: RawClient;
}

describe('tracking on a replica matches Redis 7.0.15', () => {
  let master: RedisServer | undefined;
  let redisReplica: RedisServer | undefined;
  let ourReplica: ReplisimNode | undefined;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    master = await startRedisServer();
    const masterPort = String(master.port);
    [redisReplica, ourReplica] = await Promise.all([
      startRedisServer(['--replicaof', '127.0.0.1', masterPort]),
      startReplisimNode(['--save', '', '--replicaof', '127.0.0.1', masterPort]),
    ]);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    ourReplica?.stop();
    await redisReplica?.stop();
    await master?.stop();
  });

  async function connect(port: number): Promise<RawClient> {
    const client = await RawClient.connect(port);
    clients.push(client);
    return client;
  }

  async function side(port: number): Promise<ReplicaSide> {
    const control = await connect(port);
    const tracker = await connect(port);
    const broadcast = await connect(port);
    for (const client of [tracker, broadcast]) await client.call('HELLO', '3');
    await tracker.call('CLIENT', 'TRACKING', 'on');
    await broadcast.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:');
    return { control, tracker, broadcast };
  }

  it('invalidates what the master changes, as a real replica does', async () => {
    if (master === undefined || redisReplica === undefined || ourReplica === undefined) {
      throw new Error('servers not started');
    }
    const writer = await connect(master.port);
    // The initial full sync first: its null invalidation would otherwise race the tracking.
    for (const port of [redisReplica.port, ourReplica.port]) {
      const probe = await connect(port);
      await waitUntil(
        'the link',
        async () => (await infoField(probe, 'master_link_status')) === 'up',
      );
    }
    const sides = [await side(redisReplica.port), await side(ourReplica.port)];
    const caughtUp = async () => {
      const offset = await infoField(writer, 'master_repl_offset');
      for (const replica of sides) {
        await waitUntil('the replica to apply the stream', async () => {
          const link = await infoField(replica.control, 'master_link_status');
          return (
            link === 'up' && (await infoField(replica.control, 'slave_repl_offset')) === offset
          );
        });
      }
    };
    await caughtUp();
    const steps: readonly (readonly string[])[] = [
      ['GET', 'a', 'user:1', 'b'],
      ['SET', 'a', '1'],
      ['MSET', 'user:2', 'x', 'other', 'y', 'user:1', 'z', 'b', '2'],
      ['MULTI', 'SET user:3 v', 'DEL a b', 'EXEC'],
      ['GET', 'a', 'user:1', 'b'],
      ['SET', 'a', '2', 'PX', '300'],
      ['GET', 'a'],
      ['SLEEP'],
      ['FLUSHALL'],
    ];
    let marker = 0;
    for (const step of steps) {
      const [name, ...rest] = step;
      if (name === 'GET') {
        // The trackers read on their replica: those keys are now tracked there.
        for (const replica of sides) await replica.tracker.call('MGET', ...rest);
      } else if (name === 'MULTI') {
        await writer.call('MULTI');
        for (const command of rest.slice(0, -1)) await writer.call(...command.split(' '));
        await writer.call('EXEC');
      } else if (name === 'SLEEP') {
        // The master expires `a` and streams a DEL.
        await new Promise((resolve) => setTimeout(resolve, 600));
      } else if (name !== undefined) {
        await writer.call(name, ...rest);
      }
      await caughtUp();
      marker++;
      const label = step.join(' ');
      for (const role of ['tracker', 'broadcast'] as const) {
        const id = `sync-${String(marker).padStart(6, '0')}`;
        const [theirs = '', ours = ''] = [
          await drained(sides[0]?.[role] ?? writer, id),
          await drained(sides[1]?.[role] ?? writer, id),
        ];
        expect(JSON.stringify(ours), `${label}: ${role}`).toBe(JSON.stringify(theirs));
      }
    }
  });
});
