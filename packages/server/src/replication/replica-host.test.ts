/**
 * A replisim node as a replica, driven by a scripted master on the simulated network: REPLICAOF's
 * replies and errors, stale data served until the payload is complete, READONLY, MASTERDOWN with
 * replica-serve-stale-data no, replica expiry (expired keys kept, hidden from clients, visible to
 * the master's commands), the repl-* fields in the replica's own dump, and promotion.
 */
import type { SimWorld } from '@replisim/base';
import { encodeCommand, RdbReader } from '@replisim/protocol';
import { FakeMaster } from '@replisim/replica/testing';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '../../../../test/support/rdb-datasets.js';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';

const MASTER_ADDRESS = '10.0.0.9';
const MASTER_PORT = 6379;
const REPLID = 'c'.repeat(40);

/** An RDB of `keys` (string values) in db 0, each with an optional absolute expiry. */
function rdbOf(keys: readonly { key: string; value: string; expireMs?: number }[]): Buffer {
  const strings = keys.map((entry) => ({
    ...entry,
    value: { type: 'string', value: Buffer.from(entry.value) } as const,
  }));
  return writeDataset([{ db: 0, keys: strings }], {
    compression: false,
    checksum: true,
    header: { redisVersion: '7.0.15', ctimeSeconds: 0, usedMemory: 0 },
  });
}

function setup(options: readonly string[] = []): {
  world: SimWorld;
  server: ReturnType<typeof startSimServer>;
  master: FakeMaster;
  client: SimClient;
} {
  const server = startSimServer({ seed: 11, options: ['--save', '', ...options] });
  const masterHost = server.world.addHost('master', MASTER_ADDRESS);
  const master = new FakeMaster(masterHost, MASTER_PORT);
  const clientHost = server.world.addHost('client', '10.0.0.3');
  const client = SimClient.open(server.world, clientHost);
  return { world: server.world, server, master, client };
}

const cmd = (...argv: string[]): Buffer => encodeCommand(argv);

describe('REPLICAOF', () => {
  it('answers as Redis: bad ports, the same master, NO ONE on a master', () => {
    const { client } = setup();
    expect(client.call('REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    expect(client.call('REPLICAOF', MASTER_ADDRESS, 'abc')).toBe('-ERR Invalid master port\r\n');
    expect(client.call('REPLICAOF', MASTER_ADDRESS, '70000')).toBe('-ERR Invalid master port\r\n');
    expect(client.call('SLAVEOF', MASTER_ADDRESS, String(MASTER_PORT))).toBe('+OK\r\n');
    expect(client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT))).toBe(
      '+OK Already connected to specified master\r\n',
    );
    expect(client.call('CONFIG', 'GET', 'replicaof')).toBe(
      `*2\r\n$9\r\nreplicaof\r\n$13\r\n${MASTER_ADDRESS} ${MASTER_PORT}\r\n`,
    );
  });

  it('unblocks blocked clients with -UNBLOCKED and closes them', () => {
    const { world, client, server } = setup();
    const blocked = SimClient.open(world, world.host('client'));
    blocked.pipeline([['BLPOP', 'list', '0']]);
    world.runFor(50);
    expect(server.node.blocking.blockedCount).toBe(1);
    expect(client.call('REPLICAOF', '10.0.0.99', '6379')).toBe('+OK\r\n');
    expect(blocked.read(1)[0]?.bytes.toString()).toBe(
      '-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n',
    );
    expect(blocked.waitClosed()).toBe(true);
    expect(server.node.blocking.blockedCount).toBe(0);
  });

  it('refuses writes (READONLY) but not reads, and MASTERDOWN only with replica-serve-stale-data no', () => {
    const { client, server } = setup();
    expect(client.call('SET', 'k', 'old')).toBe('+OK\r\n');
    expect(client.call('REPLICAOF', '10.0.0.99', '6379')).toBe('+OK\r\n');
    expect(client.call('SET', 'k', 'new')).toBe(
      "-READONLY You can't write against a read only replica.\r\n",
    );
    expect(client.call('GET', 'k')).toBe('$3\r\nold\r\n');
    expect(client.call('CONFIG', 'SET', 'replica-serve-stale-data', 'no')).toBe('+OK\r\n');
    expect(client.call('GET', 'k')).toBe(
      "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n",
    );
    // Commands flagged stale still run.
    expect(client.call('CONFIG', 'SET', 'replica-read-only', 'no')).toBe('+OK\r\n');
    expect(client.call('REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    expect(client.call('SET', 'k', 'mine')).toBe('+OK\r\n');
    expect(server.node.replicaLink).toBeUndefined();
  });
});

describe('replica full sync and stream', () => {
  it("serves the old data until the payload is complete, then only the master's", () => {
    const { world, client, master, server } = setup();
    expect(client.call('SET', 'old', '1')).toBe('+OK\r\n');
    const payload = rdbOf([{ key: 'new', value: 'v' }]);
    master.onPsync = (_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID} 500\r\n$${payload.length}\r\n`));
      connection.write(payload.subarray(0, 10));
    };
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => server.node.replicaLink?.status().state === 'sync', 2000);
    world.runFor(100);
    expect(client.call('GET', 'old')).toBe('$1\r\n1\r\n');
    master.last.write(payload.subarray(10));
    world.runUntilTrue(() => server.node.replicaLink?.connected === true, 2000);
    expect(client.call('GET', 'old')).toBe('$-1\r\n');
    expect(client.call('GET', 'new')).toBe('$1\r\nv\r\n');
    expect(server.node.repl.replid).toBe(REPLID);
    expect(server.node.repl.masterReplOffset).toBe(500);
    // The stream: applied by the master client, counted into our own offset and backlog.
    const stream = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'streamed', 'yes')]);
    master.last.write(stream);
    world.runFor(50);
    expect(client.call('GET', 'streamed')).toBe('$3\r\nyes\r\n');
    expect(server.node.repl.masterReplOffset).toBe(500 + stream.length);
    expect(server.node.repl.backlog?.readFrom(501)).toEqual(stream);
    expect(client.call('CLIENT', 'LIST', 'TYPE', 'master')).toMatch(/flags=M /);
  });

  it('REPLICAOF NO ONE during the transfer removes the temp file and keeps the old data', () => {
    const { world, client, master, server } = setup();
    expect(client.call('SET', 'old', '1')).toBe('+OK\r\n');
    const payload = rdbOf([{ key: 'new', value: 'v' }]);
    master.onPsync = (_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${payload.length}\r\n`));
      connection.write(payload.subarray(0, 10));
    };
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => server.node.replicaLink?.status().transfer?.readBytes === 10, 2000);
    world.runFor(10);
    expect(server.host.disk.listSync('.')?.some((name) => name.startsWith('temp-'))).toBe(true);
    expect(client.call('REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    world.runFor(100);
    expect(server.host.disk.listSync('.')?.some((name) => name.startsWith('temp-'))).toBe(false);
    expect(client.call('GET', 'old')).toBe('$1\r\n1\r\n');
  });

  it("keeps expired keys, hides them from clients, and lets the master's commands see them", () => {
    const { world, client, master, server } = setup();
    const past = server.world.now() + 1_704_067_200_000 - 10_000;
    const payload = rdbOf([
      { key: 'gone', value: 'a', expireMs: past },
      { key: 'revived', value: 'b', expireMs: past },
    ]);
    master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${payload.length}\r\n`), payload]),
      );
    };
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => server.node.replicaLink?.connected === true, 2000);
    world.runFor(3000); // active expiry would have run by now on a master
    expect(client.call('DBSIZE')).toBe(':2\r\n');
    expect(client.call('GET', 'gone')).toBe('$-1\r\n');
    expect(client.call('DBSIZE')).toBe(':2\r\n');
    // PERSIST from the master finds the logically expired key, so it becomes visible again.
    master.last.write(
      Buffer.concat([cmd('SELECT', '0'), cmd('PERSIST', 'revived'), cmd('DEL', 'gone')]),
    );
    world.runFor(50);
    expect(client.call('GET', 'revived')).toBe('$1\r\nb\r\n');
    expect(client.call('DBSIZE')).toBe(':1\r\n');
  });

  it('writes its replication position into its own dump, and promotion shifts the replid', () => {
    const { world, client, master, server } = setup();
    const payload = rdbOf([{ key: 'k', value: 'v' }]);
    master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 40\r\n$${payload.length}\r\n`), payload]),
      );
      connection.write(Buffer.concat([cmd('SELECT', '3'), cmd('SET', 'x', '1')]));
    };
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => server.node.replicaLink?.connected === true, 2000);
    world.runFor(50);
    const offset = server.node.repl.masterReplOffset;
    expect(offset).toBeGreaterThan(40);
    expect(client.call('SAVE')).toBe('+OK\r\n');
    const reader = new RdbReader();
    reader.push(server.host.disk.readFileSync('./dump.rdb') ?? new Uint8Array());
    reader.end();
    const aux = new Map<string, string>();
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (record.kind === 'aux') aux.set(record.name, record.value);
    }
    expect(aux.get('repl-id')).toBe(REPLID);
    expect(aux.get('repl-offset')).toBe(String(offset));
    expect(aux.get('repl-stream-db')).toBe('3');
    expect(client.call('REPLICAOF', 'NO', 'ONE')).toBe('+OK\r\n');
    expect(server.node.repl.replid2).toBe(REPLID);
    expect(server.node.repl.secondReplidOffset).toBe(offset + 1);
    expect(server.node.repl.replid).not.toBe(REPLID);
    expect(client.call('SET', 'after', 'promotion')).toBe('+OK\r\n');
  });
});

describe('handshake settings', () => {
  it('announces replica-announce-port / -ip and authenticates with masteruser / masterauth', () => {
    const { world, client, master } = setup([
      '--replica-announce-port',
      '7777',
      '--slave-announce-ip',
      '1.2.3.4',
      '--masteruser',
      'repl',
      '--masterauth',
      'pw',
    ]);
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => master.psyncs().length === 1, 2000);
    expect(master.received).toEqual([
      ['PING'],
      ['AUTH', 'repl', 'pw'],
      ['REPLCONF', 'listening-port', '7777'],
      ['REPLCONF', 'ip-address', '1.2.3.4'],
      ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'],
      // A master turned replica caches itself: its own id, from the byte after its offset.
      ['PSYNC', expect.stringMatching(/^[0-9a-f]{40}$/), '1'],
    ]);
  });
});

describe('repl-diskless-load', () => {
  function syncWith(options: readonly string[], payload: Buffer) {
    const parts = setup(['--dbfilename', 'mine.rdb', ...options]);
    parts.server.host.disk.writeFileSync('./mine.rdb', Buffer.from('my own dump'));
    parts.master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${payload.length}\r\n`), payload]),
      );
    };
    return parts;
  }

  it('swapdb loads from the socket, leaves the own dump alone, and keeps the old data on a bad payload', () => {
    const good = rdbOf([{ key: 'new', value: 'v' }]);
    const { world, client, server, master } = syncWith(['--repl-diskless-load', 'swapdb'], good);
    expect(client.call('SET', 'old', '1')).toBe('+OK\r\n');
    client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    world.runUntilTrue(() => server.node.replicaLink?.connected === true, 2000);
    expect(client.call('GET', 'new')).toBe('$1\r\nv\r\n');
    expect(client.call('GET', 'old')).toBe('$-1\r\n');
    expect(Buffer.from(server.host.disk.readFileSync('./mine.rdb') ?? []).toString()).toBe(
      'my own dump',
    );
    expect(server.logs.join('\n')).toContain('from master to parser');
    // A corrupt payload (a flipped byte breaks the CRC): the data loaded before stays.
    const bad = Buffer.from(rdbOf([{ key: 'other', value: 'x' }]));
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${bad.length}\r\n`), bad]),
      );
    };
    server.node.replicaLink?.dropMasterLink();
    world.runUntilTrue(() => master.psyncs().length === 3, 5000);
    world.runFor(100);
    expect(client.call('GET', 'new')).toBe('$1\r\nv\r\n');
    expect(client.call('GET', 'other')).toBe('$-1\r\n');
  });

  it('on-empty-db loads from the socket only when the replica is empty', () => {
    const payload = rdbOf([{ key: 'new', value: 'v' }]);
    const empty = syncWith(['--repl-diskless-load', 'on-empty-db'], payload);
    empty.client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    empty.world.runUntilTrue(() => empty.server.node.replicaLink?.connected === true, 2000);
    expect(empty.client.call('GET', 'new')).toBe('$1\r\nv\r\n');
    expect(Buffer.from(empty.server.host.disk.readFileSync('./mine.rdb') ?? []).toString()).toBe(
      'my own dump',
    );
    const full = syncWith(['--repl-diskless-load', 'on-empty-db'], payload);
    full.client.call('SET', 'old', '1');
    full.client.call('REPLICAOF', MASTER_ADDRESS, String(MASTER_PORT));
    full.world.runUntilTrue(() => full.server.node.replicaLink?.connected === true, 2000);
    expect(full.client.call('GET', 'new')).toBe('$1\r\nv\r\n');
    // Loaded through a temp file renamed over the dump, as `disabled` does.
    expect(Buffer.from(full.server.host.disk.readFileSync('./mine.rdb') ?? [])).toEqual(payload);
  });
});

describe('replica restart', () => {
  it('PSYNCs from the repl-* fields of its own dump and continues', () => {
    // The master's host is added after the node booted: the first connect is never answered, and
    // repl-timeout (2 s here) gives up on it ("Timeout connecting to the MASTER...").
    const { world, client, master, server } = setup([
      '--replicaof',
      MASTER_ADDRESS,
      String(MASTER_PORT),
      '--repl-timeout',
      '2',
    ]);
    const payload = rdbOf([{ key: 'k', value: 'v' }]);
    master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 70\r\n$${payload.length}\r\n`), payload]),
      );
      connection.write(Buffer.concat([cmd('SELECT', '2'), cmd('SET', 'x', '1')]));
    };
    // The directive alone starts the link; there was no dump, so no cached master.
    world.runUntilTrue(() => server.node.replicaLink?.connected === true, 10_000);
    expect(server.logs.join('\n')).toContain('Timeout connecting to the MASTER...');
    expect(master.psyncs()[0]).toEqual(['PSYNC', '?', '-1']);
    world.runFor(50);
    const offset = server.node.repl.masterReplOffset;
    expect(client.call('SAVE')).toBe('+OK\r\n');
    server.host.crash();
    server.host.restart();
    const loaded = loadConfig('', [
      '--port',
      '6379',
      '--bind',
      '0.0.0.0',
      '--save',
      '',
      '--protected-mode',
      'no',
      '--replicaof',
      MASTER_ADDRESS,
      String(MASTER_PORT),
    ]);
    if (!loaded.ok) throw new Error('bad config');
    const restarted = new ServerNode({
      env: server.host.env,
      config: loaded.config,
      logSink: () => {},
      pid: 5,
    });
    restarted.start(() => {});
    master.onPsync = (_argv, connection) => {
      connection.write(
        Buffer.concat([Buffer.from(`+CONTINUE ${REPLID}\r\n`), cmd('SET', 'y', '2')]),
      );
    };
    world.runUntilTrue(() => restarted.replicaLink?.connected === true, 3000);
    expect(master.psyncs()[1]).toEqual(['PSYNC', REPLID, String(offset + 1)]);
    world.runFor(50);
    // The stream continued in the db the dump recorded (repl-stream-db 2).
    expect(restarted.databases[2]?.peek('y')).toMatchObject({
      type: 'string',
      value: Buffer.from('2'),
    });
    expect(restarted.repl.masterReplOffset).toBe(offset + cmd('SET', 'y', '2').length);
    restarted.stop();
  });
});
