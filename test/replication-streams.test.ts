/**
 * Consumer-group state crosses replication links both ways with redis-server 7.0.15. DEBUG DIGEST
 * covers stream entries only, so this compares XINFO STREAM FULL (groups, PELs with delivery times
 * and counts, consumers) between master and replica, with the consumers' seen-times masked: a
 * replica sets those from its own clock when it creates a consumer, in Redis too.
 *
 * Method: a master takes stream writes after its replica is in sync, so everything arrives as the
 * propagated forms (XADD with the generated ID and `MAXLEN =`, XCLAIM ... FORCE JUSTID LASTID per
 * XREADGROUP delivery, XGROUP SETID / CREATECONSUMER for NOACK reads, XAUTOCLAIM, XACK). Run twice:
 * Redis master with a replisim replica, and replisim master with a Redis replica, the same writes
 * (explicit IDs). Each replica's entries equal its master's (DEBUG DIGEST); the two masters hold
 * the same groups, and so do the two replicas. The replicas' groups are not the masters': Redis
 * 7.0 propagates XREADGROUP as XCLAIM without the group's entries-read, so a replica's counter
 * (and lag) is unknown; replisim reproduces that, on either side. Both ends run with
 * stream-node-max-entries 4 (CONFIG SET is not replicated).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';
import { waitUntil } from './support/wait-until.js';

/** Every server here, master or replica, Redis or replisim: DEBUG allowed, no diskless delay. */
const NODE_OPTIONS = ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0'];

const WRITES: readonly (readonly string[])[] = [
  ...Array.from({ length: 12 }, (_, i) => ['XADD', 's', `${i + 1}-*`, 'f', `v${i}`]),
  ['XADD', 's', 'MAXLEN', '~', '6', '13-0', 'f', 'trim'],
  ['XGROUP', 'CREATE', 's', 'g', '0'],
  ['XGROUP', 'CREATE', 's', 'n', '$', 'ENTRIESREAD', '3'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'],
  ['XADD', 's', '20-0', 'f', 'late'],
  ['XREADGROUP', 'GROUP', 'n', 'carol', 'NOACK', 'STREAMS', 's', '>'],
  ['XAUTOCLAIM', 's', 'g', 'dave', '0', '0', 'COUNT', '2'],
  ['XACK', 's', 'g', '0-1'],
  ['XGROUP', 'CREATECONSUMER', 's', 'g', 'erin'],
];

async function call(client: RawClient, ...argv: string[]): Promise<string> {
  return (await client.call(...argv)).bytes.toString('latin1');
}

/** XINFO STREAM FULL with every 13-digit time masked (seen-times come from each node's clock). */
async function groupsView(client: RawClient): Promise<string> {
  const full = await call(client, 'XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0');
  return printable(Buffer.from(full.replace(/:\d{13}\r\n/g, ':<time>\r\n'), 'latin1'));
}

async function offset(client: RawClient): Promise<string> {
  const info = await call(client, 'INFO', 'replication');
  return /master_repl_offset:(\d+)/.exec(info)?.[1] ?? '';
}

describe('stream groups over replication with redis-server 7.0.15', () => {
  const redisServers: RedisServer[] = [];
  const nodes: ReplisimNode[] = [];
  const clients: RawClient[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) node.stop();
    for (const server of redisServers) await server.stop();
  });

  async function connect(port: number): Promise<RawClient> {
    const client = await RawClient.connect(port);
    clients.push(client);
    return client;
  }

  interface Views {
    readonly master: string;
    readonly replica: string;
  }

  async function runWrites(master: RawClient, replica: RawClient): Promise<Views> {
    for (const client of [master, replica]) {
      await call(client, 'CONFIG', 'SET', 'stream-node-max-entries', '4');
    }
    await waitUntil('the replica to be in sync', async () => {
      const info = await call(replica, 'INFO', 'replication');
      return info.includes('master_link_status:up');
    });
    for (const argv of WRITES) {
      const reply = await call(master, ...argv);
      expect(reply.startsWith('-'), `${argv.join(' ')}: ${reply}`).toBe(false);
    }
    const target = await offset(master);
    await waitUntil('the replica to catch up', async () => (await offset(replica)) === target);
    expect(await call(replica, 'DEBUG', 'DIGEST')).toBe(await call(master, 'DEBUG', 'DIGEST'));
    return { master: await groupsView(master), replica: await groupsView(replica) };
  }

  let redisMaster: Views | undefined;

  it('Redis master, replisim replica', async () => {
    const redis = await startRedisServer(NODE_OPTIONS);
    redisServers.push(redis);
    const node = await startReplisimNode(NODE_OPTIONS);
    nodes.push(node);
    const master = await connect(redis.port);
    const replica = await connect(node.port);
    await call(replica, 'REPLICAOF', '127.0.0.1', String(redis.port));
    redisMaster = await runWrites(master, replica);
    // Not vacuous: the groups hold pending entries and consumers.
    expect(redisMaster.master).toContain('alice');
    expect(redisMaster.replica).toContain('dave');
  });

  it('replisim master, Redis replica: the same groups on both ends as with Redis master', async () => {
    const node = await startReplisimNode(NODE_OPTIONS);
    nodes.push(node);
    const redis = await startRedisServer(NODE_OPTIONS);
    redisServers.push(redis);
    const master = await connect(node.port);
    const replica = await connect(redis.port);
    await call(replica, 'REPLICAOF', '127.0.0.1', String(node.port));
    const replisimMaster = await runWrites(master, replica);
    expect(redisMaster, 'the first test ran').toBeDefined();
    expect(replisimMaster.master).toBe(redisMaster?.master);
    expect(replisimMaster.replica).toBe(redisMaster?.replica);
  });
});
