/**
 * The master side of a sync, seen from the wire (reference §3.1-3.3, §8 anchors 1, 4, 5): a
 * hand-driven replica on a simulated host sends REPLCONF and PSYNC and the test reads every byte
 * the master sends back.
 *
 * What must hold: the first replica creates the backlog under a new replid; +FULLRESYNC carries
 * the offset that the payload's repl-offset AUX field also records; the payload is
 * `$<len>\r\n<rdb>` holding the dataset; the stream after it starts with SELECT and is byte for
 * byte the propagated writes; master_repl_offset counts those bytes. PSYNC continues when the id
 * and offset allow (replid, or replid2 up to second_repl_offset; offset inside the backlog) and
 * sends exactly the missing bytes; otherwise it falls back to a full sync and counts
 * sync_partial_err (except for `PSYNC ? -1`).
 */
import { encodeCommand, RdbReader, type RdbRecord } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';
import { SimClient } from '../testing/sim-client.js';
import { SimRawReplica } from '../testing/sim-raw-replica.js';
import {
  runUntil,
  SIM_SERVER_PORT,
  type SimServer,
  startSimServer,
} from '../testing/sim-server.js';

function setup(seed: number, options: string[] = []): SimServer & { client: SimClient } {
  // Disk-target syncs here; master-diskless.test.ts covers repl-diskless-sync yes (the default).
  const server = startSimServer({
    seed,
    options: ['--save', '', '--repl-diskless-sync', 'no', ...options],
  });
  const host = server.world.addHost('client', '10.0.0.2');
  return { ...server, client: SimClient.open(server.world, host) };
}

function openReplica(server: SimServer, name: string, address: string): SimRawReplica {
  return SimRawReplica.open(server.world, server.world.addHost(name, address));
}

/** REPLCONF listening-port and capa psync2, each answered +OK, as a 7.0 replica sends them. */
function handshake(replica: SimRawReplica, port: number): void {
  expect(replica.handshake('REPLCONF', 'listening-port', String(port))).toBe('+OK');
  expect(replica.handshake('REPLCONF', 'capa', 'eof', 'capa', 'psync2')).toBe('+OK');
}

function readRdb(payload: Buffer): RdbRecord[] {
  const reader = new RdbReader();
  reader.push(payload);
  reader.end();
  const records: RdbRecord[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    records.push(record);
  }
  return records;
}

function aux(records: readonly RdbRecord[], name: string): string | undefined {
  for (const record of records) {
    if (record.kind === 'aux' && record.name === name) return record.value;
  }
  return undefined;
}

function infoField(client: SimClient, section: string, field: string): string {
  const text = client.call('INFO', section);
  const match = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(text);
  return match?.[1] ?? '';
}

const cmd = (...argv: string[]): Buffer => encodeCommand(argv);

describe('full sync', () => {
  it('creates the backlog with a new replid and sends +FULLRESYNC, the RDB, then the stream', () => {
    const server = setup(1);
    const { client } = server;
    client.call('SET', 'a', '1');
    client.call('RPUSH', 'list', 'x', 'y');
    client.call('SELECT', '3');
    client.call('HSET', 'h', 'f', 'v');
    // Writes before any replica do not move master_repl_offset (no backlog yet).
    expect(infoField(client, 'replication', 'master_repl_offset')).toBe('0');
    const replidBefore = infoField(client, 'replication', 'master_replid');

    const replica = openReplica(server, 'replica', '10.0.0.3');
    handshake(replica, 7001);
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload();
    const replid = infoField(client, 'replication', 'master_replid');
    expect(replid).not.toBe(replidBefore);
    expect(sync.line).toBe(`+FULLRESYNC ${replid} 0`);

    const records = readRdb(sync.payload);
    expect(aux(records, 'repl-id')).toBe(replid);
    expect(aux(records, 'repl-offset')).toBe('0');
    const keys = records.flatMap((r) => (r.kind === 'key' ? [`${r.db}:${r.key}`] : []));
    expect(keys.sort()).toEqual(['0:a', '0:list', '3:h']);

    // The stream: SELECT first (forced for a new replica), then the write, byte for byte.
    client.call('SET', 'b', '2');
    const expected = Buffer.concat([cmd('SELECT', '3'), cmd('SET', 'b', '2')]);
    expect(replica.waitStream(expected.length).toString('latin1')).toBe(
      expected.toString('latin1'),
    );
    expect(infoField(client, 'replication', 'master_repl_offset')).toBe(String(expected.length));
    expect(infoField(client, 'stats', 'sync_full')).toBe('1');
    expect(
      server.logs.some((line) => line.includes('Replica 10.0.0.3:7001 asks for synchronization')),
    ).toBe(true);
    expect(
      server.logs.some((line) =>
        line.includes('Synchronization with replica 10.0.0.3:7001 succeeded'),
      ),
    ).toBe(true);

    // INFO and ROLE list it once it acknowledged.
    replica.send('REPLCONF', 'ACK', String(expected.length));
    server.world.runFor(50);
    expect(infoField(client, 'replication', 'slave0')).toBe(
      `ip=10.0.0.3,port=7001,state=online,offset=${expected.length},lag=0`,
    );
    expect(client.call('ROLE')).toBe(
      `*3\r\n$6\r\nmaster\r\n:${expected.length}\r\n*1\r\n*3\r\n$8\r\n10.0.0.3\r\n$4\r\n7001\r\n$${String(expected.length).length}\r\n${expected.length}\r\n`,
    );
  });

  it('plain SYNC gets the payload without a +FULLRESYNC line', () => {
    const server = setup(2);
    server.client.call('SET', 'k', 'v');
    const replica = openReplica(server, 'replica', '10.0.0.3');
    replica.send('SYNC');
    const sync = replica.waitPayload();
    expect(sync.line).toBe('');
    expect(readRdb(sync.payload).some((r) => r.kind === 'key' && r.key === 'k')).toBe(true);
  });
});

describe('partial resync', () => {
  /** A replica that did a full sync, acknowledged, and then lost its link. */
  function syncedThenDropped(seed: number, options: string[] = []) {
    const server = setup(seed, options);
    const replica = openReplica(server, 'replica', '10.0.0.3');
    handshake(replica, 7001);
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload();
    const [, replid = '', offsetText = ''] = sync.line.split(' ');
    server.client.call('SET', 'a', '1');
    const first = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'a', '1')]);
    replica.waitStream(first.length);
    replica.close();
    server.world.runFor(50);
    return { ...server, replid, offset: Number(offsetText) + first.length };
  }

  it('continues from the replica offset and sends exactly the missing bytes', () => {
    const server = syncedThenDropped(3);
    const { client } = server;
    expect(infoField(client, 'replication', 'connected_slaves')).toBe('0');
    client.call('SET', 'b', '2');
    client.call('DEL', 'a');
    const missing = Buffer.concat([cmd('SET', 'b', '2'), cmd('DEL', 'a')]);

    const again = openReplica(server, 'replica2', '10.0.0.4');
    handshake(again, 7001);
    again.send('PSYNC', server.replid, String(server.offset + 1));
    server.world.runFor(100);
    expect(again.received.toString('latin1')).toBe(
      `+CONTINUE ${server.replid}\r\n${missing.toString('latin1')}`,
    );
    expect(infoField(client, 'stats', 'sync_partial_ok')).toBe('1');
    expect(infoField(client, 'stats', 'sync_partial_err')).toBe('0');
    expect(
      server.logs.some((l) =>
        l.includes(
          `Sending ${missing.length} bytes of backlog starting from offset ${server.offset + 1}.`,
        ),
      ),
    ).toBe(true);
  });

  it('answers +CONTINUE without the id to a replica without capa psync2', () => {
    const server = syncedThenDropped(4);
    const again = openReplica(server, 'replica2', '10.0.0.4');
    again.send('PSYNC', server.replid, String(server.offset + 1));
    server.world.runFor(100);
    expect(again.received.toString('latin1')).toBe('+CONTINUE\r\n');
  });

  it('refuses an unknown id or an offset outside the backlog, counting sync_partial_err', () => {
    const server = syncedThenDropped(5);
    const wrongId = openReplica(server, 'r2', '10.0.0.4');
    wrongId.send('PSYNC', 'f'.repeat(40), String(server.offset + 1));
    expect(wrongId.waitPayload().line).toBe(`+FULLRESYNC ${server.replid} ${server.offset}`);
    const ahead = openReplica(server, 'r3', '10.0.0.5');
    ahead.send('PSYNC', server.replid, String(server.offset + 2));
    expect(ahead.waitPayload().line).toMatch(/^\+FULLRESYNC /);
    expect(infoField(server.client, 'stats', 'sync_partial_err')).toBe('2');
    expect(infoField(server.client, 'stats', 'sync_full')).toBe('3');
    expect(server.logs.some((l) => l.includes('Replication ID mismatch'))).toBe(true);
    expect(server.logs.some((l) => l.includes('for lack of backlog (Replica request was:'))).toBe(
      true,
    );
  });

  it('continues the previous history (replid2) only up to second_repl_offset', () => {
    const server = syncedThenDropped(6);
    // As a promotion does: the old id becomes replid2, valid up to offset + 1.
    server.node.repl.shiftReplicationId();
    const newId = server.node.repl.replid;
    const old = openReplica(server, 'r2', '10.0.0.4');
    handshake(old, 7002);
    old.send('PSYNC', server.replid, String(server.offset + 1));
    server.world.runFor(100);
    expect(old.received.toString('latin1')).toBe(`+CONTINUE ${newId}\r\n`);
    server.client.call('SET', 'later', '1');
    const beyond = openReplica(server, 'r3', '10.0.0.5');
    beyond.send('PSYNC', server.replid, String(server.offset + 2));
    expect(beyond.waitPayload().line).toMatch(`+FULLRESYNC ${newId} `);
    expect(
      server.logs.some((l) =>
        l.includes(
          `Requested offset for second ID was ${server.offset + 2}, but I can reply up to ${server.offset + 1}`,
        ),
      ),
    ).toBe(true);
  });

  it('falls back to a full sync once the backlog no longer holds the offset', () => {
    const server = syncedThenDropped(7, ['--repl-backlog-size', '16kb']);
    const big = 'x'.repeat(20_000);
    server.client.call('SET', 'big', big);
    const again = openReplica(server, 'r2', '10.0.0.4');
    again.send('PSYNC', server.replid, String(server.offset + 1));
    expect(again.waitPayload().line).toMatch(/^\+FULLRESYNC /);
    expect(infoField(server.client, 'replication', 'repl_backlog_histlen')).toBe(String(16 * 1024));
  });
});

describe('partial resync after a restart (repl-* AUX fields)', () => {
  it('continues the history its dump recorded, under a new replid', () => {
    const server = setup(8);
    const replica = openReplica(server, 'replica', '10.0.0.3');
    handshake(replica, 7001);
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload();
    const [, replid = ''] = sync.line.split(' ');
    server.client.call('SET', 'a', '1');
    const applied = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'a', '1')]);
    replica.waitStream(applied.length);
    expect(server.client.call('SAVE')).toBe('+OK\r\n');
    const offset = server.node.repl.masterReplOffset;
    server.node.stop();
    replica.close();

    // The same host starts a new node; it loads the dump, with its repl-id and repl-offset.
    const loaded = loadConfig('', [
      '--port',
      String(SIM_SERVER_PORT),
      '--bind',
      '0.0.0.0',
      '--save',
      '',
      '--protected-mode',
      'no',
    ]);
    if (!loaded.ok) throw new Error('config');
    const logs: string[] = [];
    const node = new ServerNode({
      env: server.host.env,
      config: loaded.config,
      logSink: (l) => logs.push(l),
      pid: 7,
    });
    let started = false;
    node.start(() => {
      started = true;
    });
    runUntil(server.world, () => started, 1000);
    expect(node.repl.replid2).toBe(replid);
    expect(node.repl.secondReplidOffset).toBe(offset + 1);
    expect(node.repl.masterReplOffset).toBe(offset);

    const again = openReplica(server, 'replica2', '10.0.0.4');
    handshake(again, 7001);
    again.send('PSYNC', replid, String(offset + 1));
    server.world.runFor(100);
    expect(again.received.toString('latin1')).toBe(`+CONTINUE ${node.repl.replid}\r\n`);
    expect(node.repl.replid).not.toBe(replid);
    node.stop();
  });
});
