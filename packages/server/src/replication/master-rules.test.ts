/**
 * The master's rules around a sync, in the simulator with hand-driven replicas (reference §3.1,
 * §3.5, §3.6):
 * - which BGSAVE serves a new replica: joining one another replica waits on, waiting for the next
 *   one when a user BGSAVE runs, and replisim's repl-snapshot-reuse paths (join any running
 *   BGSAVE, reuse the last dump) with the offsets and held bytes that make them correct;
 * - keepalive newlines while a replica waits, `ping` in the stream, repl-timeout, the backlog TTL;
 * - REPLCONF's replies and errors, SYNC's refusals;
 * - WAIT (GETACK in the stream, answered by ACKs or by its timeout), min-replicas-to-write;
 * - the replica output-buffer limit.
 * Slow BGSAVEs come from a tiny slice budget over a few thousand keys, so a save spans many events.
 */
import { encodeCommand, RdbReader } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { SimRawReplica } from '../testing/sim-raw-replica.js';
import { runUntil, type SimServer, startSimServer } from '../testing/sim-server.js';

function setup(seed: number, options: string[] = []): SimServer & { client: SimClient } {
  const server = startSimServer({
    seed,
    // Disk-target syncs here; master-diskless.test.ts covers repl-diskless-sync yes (the default).
    options: [
      '--save',
      '',
      '--enable-debug-command',
      'yes',
      '--repl-diskless-sync',
      'no',
      ...options,
    ],
  });
  const host = server.world.addHost('client', '10.0.0.2');
  return { ...server, client: SimClient.open(server.world, host) };
}

let nextAddress = 10;
function openReplica(server: SimServer): SimRawReplica {
  nextAddress++;
  return SimRawReplica.open(
    server.world,
    server.world.addHost(`r${nextAddress}`, `10.0.1.${nextAddress}`),
  );
}

/**
 * A dataset whose BGSAVE spans virtual time: `keys` keys, 3 keys per slice, and a slow disk
 * (20 ms an operation), so replicas and clients act while it runs.
 */
function slowSaves(server: SimServer & { client: SimClient }, keys = 3000): void {
  expect(server.client.call('DEBUG', 'POPULATE', String(keys))).toBe('+OK\r\n');
  server.node.persistence.sliceBudget = { keysMax: 3, bytesMax: 4096, msMax: 1 };
  server.host.disk.setFaults({ latencyMsMin: 20, latencyMsMax: 20 });
}

function offsetOf(line: string): number {
  return Number(line.split(' ')[2]);
}

function replOffsetAux(payload: Buffer): string | undefined {
  const reader = new RdbReader();
  reader.push(payload);
  reader.end();
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    if (record.kind === 'aux' && record.name === 'repl-offset') return record.value;
  }
  return undefined;
}

function infoField(client: SimClient, section: string, field: string): string {
  const match = new RegExp(`\\r\\n${field}:([^\\r]*)\\r\\n`).exec(client.call('INFO', section));
  return match?.[1] ?? '';
}

const cmd = (...argv: string[]): string => encodeCommand(argv).toString('latin1');

describe('which BGSAVE serves a full sync', () => {
  it('attaches a second replica to the BGSAVE the first waits on: same offset, same stream', () => {
    const server = setup(11);
    slowSaves(server);
    const first = openReplica(server);
    first.handshake('REPLCONF', 'capa', 'psync2');
    first.send('PSYNC', '?', '-1');
    expect(runUntil(server.world, () => server.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    server.client.call('SET', 'during', '1');
    const second = openReplica(server);
    second.handshake('REPLCONF', 'capa', 'psync2');
    second.send('PSYNC', '?', '-1');
    runUntil(server.world, () => second.received.length > 0, 1000);
    expect(server.node.persistence.bgsaveInProgress).toBe(true);
    const a = first.waitPayload(20_000);
    const b = second.waitPayload(20_000);
    expect(b.line).toBe(a.line);
    expect(b.payload.equals(a.payload)).toBe(true);
    expect(replOffsetAux(a.payload)).toBe(String(offsetOf(a.line)));
    // Both hold the write made after the snapshot point, SELECT first.
    const expected = cmd('SELECT', '0') + cmd('SET', 'during', '1');
    expect(first.waitStream(expected.length).toString('latin1')).toBe(expected);
    expect(second.waitStream(expected.length).toString('latin1')).toBe(expected);
    expect(server.logs.filter((l) => l.includes('Background saving started')).length).toBe(1);
    expect(server.logs.some((l) => l.includes('Waiting for end of BGSAVE for SYNC'))).toBe(true);
  });

  it('does not attach to a user BGSAVE: waits with newlines, then gets the next one', () => {
    const server = setup(12);
    slowSaves(server);
    // Each save's fsync takes 1.5 s, so the replica waits across at least one keepalive second.
    server.host.disk.setFaults({ fsyncLatencyMsMin: 1500, fsyncLatencyMsMax: 1500 });
    expect(server.client.call('BGSAVE')).toBe('+Background saving started\r\n');
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    runUntil(server.world, () => server.logs.some((l) => l.includes("Can't attach")), 1000);
    expect(replica.received.toString('latin1')).toMatch(/^\n*$/);
    const sync = replica.waitPayload(30_000);
    expect(sync.line).toMatch(/^\+FULLRESYNC [0-9a-f]{40} \d+$/);
    expect(server.logs.filter((l) => l.includes('Background saving started')).length).toBe(2);
    // The user BGSAVE took long enough for at least one keepalive newline.
    expect(sync.newlines).toBeGreaterThan(0);
  });

  it('repl-snapshot-reuse join-any: joins the running BGSAVE at its offset, backlog bytes follow', () => {
    const server = setup(13, ['--repl-snapshot-reuse', 'join-any']);
    // A first replica creates the backlog; it stays connected so the backlog lives on.
    const first = openReplica(server);
    first.send('PSYNC', '?', '-1');
    first.waitPayload();
    slowSaves(server);
    expect(server.client.call('BGSAVE')).toBe('+Background saving started\r\n');
    server.client.call('SET', 'after-snapshot', 'x');
    const joiner = openReplica(server);
    joiner.send('PSYNC', '?', '-1');
    const sync = joiner.waitPayload(30_000);
    const offset = offsetOf(sync.line);
    expect(replOffsetAux(sync.payload)).toBe(String(offset));
    // Exactly the stream since the snapshot point (DEBUG POPULATE is not propagated; SET is).
    const stream = joiner.waitStream(server.node.repl.masterReplOffset - offset);
    expect(stream.toString('latin1')).toContain(cmd('SET', 'after-snapshot', 'x'));
    expect(offset + stream.length).toBe(server.node.repl.masterReplOffset);
    expect(server.logs.filter((l) => l.includes('Background saving started')).length).toBe(2);
    expect(infoField(server.client, 'stats', 'sync_reused_snapshots')).toBe('1');
    expect(infoField(server.client, 'replication', 'slave1')).toMatch(/,path=joined-any$/);
  });

  it('repl-snapshot-reuse join-any-or-recent: sends the last dump while the backlog covers it', () => {
    const server = setup(14, ['--repl-snapshot-reuse', 'join-any-or-recent']);
    const first = openReplica(server);
    first.send('PSYNC', '?', '-1');
    const firstSync = first.waitPayload();
    server.client.call('SET', 'k', 'v');
    const second = openReplica(server);
    second.send('PSYNC', '?', '-1');
    const sync = second.waitPayload();
    expect(sync.line).toBe(firstSync.line);
    expect(sync.payload.equals(firstSync.payload)).toBe(true);
    const expected = cmd('SELECT', '0') + cmd('SET', 'k', 'v');
    expect(second.waitStream(expected.length).toString('latin1')).toBe(expected);
    expect(server.logs.filter((l) => l.includes('Background saving started')).length).toBe(1);
  });
});

describe('REPLCONF and SYNC refusals', () => {
  it('answers REPLCONF as Redis does', () => {
    const { client } = setup(21);
    expect(client.call('REPLCONF')).toBe('+OK\r\n');
    expect(client.call('REPLCONF', 'listening-port')).toBe('-ERR syntax error\r\n');
    expect(client.call('REPLCONF', 'listening-port', 'x')).toBe(
      '-ERR value is not an integer or out of range\r\n',
    );
    expect(client.call('REPLCONF', 'capa', 'whatever')).toBe('+OK\r\n');
    expect(client.call('REPLCONF', 'rdb-only', '5')).toBe(
      '-ERR value is out of range, value must between 0 and 1\r\n',
    );
    expect(client.call('REPLCONF', 'foo', 'bar')).toBe(
      '-ERR Unrecognized REPLCONF option: foo\r\n',
    );
    // ACK from a connection that is not a replica: no reply at all; the next command answers.
    client.pipeline([['REPLCONF', 'ACK', '10'], ['PING']]);
    expect(client.read(1)[0]?.bytes.toString()).toBe('+PONG\r\n');
  });

  it('refuses PSYNC with a bad offset or pending output, and inside MULTI', () => {
    const { client } = setup(22);
    expect(client.call('PSYNC', 'x', 'y')).toBe('-ERR value is not an integer or out of range\r\n');
    client.pipeline([['PING'], ['SYNC']]);
    const replies = client.read(2).map((r) => r.bytes.toString());
    expect(replies).toEqual([
      '+PONG\r\n',
      '-ERR SYNC and PSYNC are invalid with pending output\r\n',
    ]);
    client.call('MULTI');
    expect(client.call('SYNC')).toBe('-ERR Command not allowed inside a transaction\r\n');
  });
});

describe('keepalives and timeouts', () => {
  it('feeds ping every repl-ping-replica-period and drops a replica silent for repl-timeout', () => {
    const server = setup(31, ['--repl-ping-replica-period', '2', '--repl-timeout', '5']);
    const replica = openReplica(server);
    replica.handshake('REPLCONF', 'listening-port', '7100');
    replica.send('PSYNC', '?', '-1');
    replica.waitPayload();
    server.world.runFor(4500);
    const stream = replica.waitStream(1).toString('latin1');
    expect(stream.startsWith(cmd('ping'))).toBe(true);
    expect(stream.split(cmd('ping')).length - 1).toBeGreaterThanOrEqual(2);
    expect(replica.closed).toBe(false);
    server.world.runFor(3000);
    expect(replica.closed).toBe(true);
    expect(
      server.logs.some((l) =>
        l.includes('Disconnecting timedout replica (streaming sync): 10.0.1.'),
      ),
    ).toBe(true);
    expect(server.logs.some((l) => l.includes(':7100 lost.'))).toBe(true);
  });

  it('keeps a replica that acknowledges, and exempts plain SYNC replicas', () => {
    const server = setup(32, ['--repl-timeout', '3']);
    const acking = openReplica(server);
    acking.send('PSYNC', '?', '-1');
    acking.waitPayload();
    const legacy = openReplica(server);
    legacy.send('SYNC');
    legacy.waitPayload();
    for (let second = 0; second < 8; second++) {
      acking.send('REPLCONF', 'ACK', String(server.node.repl.masterReplOffset));
      server.world.runFor(1000);
    }
    expect(acking.closed).toBe(false);
    expect(legacy.closed).toBe(false);
  });

  it('frees the backlog and changes replid after repl-backlog-ttl without replicas', () => {
    const server = setup(33, ['--repl-backlog-ttl', '3']);
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    replica.waitPayload();
    const replid = server.node.repl.replid;
    replica.close();
    server.world.runFor(2500);
    expect(infoField(server.client, 'replication', 'repl_backlog_active')).toBe('1');
    server.world.runFor(2000);
    expect(infoField(server.client, 'replication', 'repl_backlog_active')).toBe('0');
    expect(server.node.repl.replid).not.toBe(replid);
    expect(server.logs.some((l) => l.includes('Replication backlog freed after 3 seconds'))).toBe(
      true,
    );
  });
});

describe('WAIT and min-replicas-to-write', () => {
  it('blocks until a replica acknowledges the client write, sending one GETACK', () => {
    const server = setup(41);
    const { client } = server;
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload();
    // Nothing written yet: every online replica has acknowledged offset 0.
    expect(client.call('WAIT', '1', '0')).toBe(':1\r\n');
    client.call('SET', 'k', 'v');
    client.pipeline([['WAIT', '1', '0'], ['PING']]);
    const getack = cmd('REPLCONF', 'GETACK', '*');
    const before = cmd('SELECT', '0') + cmd('SET', 'k', 'v');
    const stream = replica.waitStream(before.length + getack.length).toString('latin1');
    expect(stream).toBe(before + getack);
    expect(client.unread()).toEqual([]);
    // An ACK below the client's write offset does not release it; one at it does.
    const woff = offsetOf(sync.line) + before.length;
    replica.send('REPLCONF', 'ACK', String(woff - 1));
    server.world.runFor(100);
    expect(client.unread()).toEqual([]);
    replica.send('REPLCONF', 'ACK', String(woff + getack.length));
    expect(client.read(2).map((r) => r.bytes.toString())).toEqual([':1\r\n', '+PONG\r\n']);
  });

  it('answers with the count reached when its timeout ends', () => {
    const server = setup(42);
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    replica.waitPayload();
    server.client.call('SET', 'k', 'v');
    replica.send('REPLCONF', 'ACK', String(server.node.repl.masterReplOffset));
    server.world.runFor(50);
    server.client.pipeline([['WAIT', '2', '300']]);
    server.world.runFor(250);
    expect(server.client.unread()).toEqual([]);
    expect(server.client.read(1, 200)[0]?.bytes.toString()).toBe(':1\r\n');
    expect(server.client.call('WAIT', 'x', '1')).toBe(
      '-ERR value is not an integer or out of range\r\n',
    );
    expect(server.client.call('WAIT', '1', '-1')).toBe('-ERR timeout is negative\r\n');
  });

  it('refuses writes with NOREPLICAS until enough replicas acknowledge within the lag', () => {
    const server = setup(43, ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '2']);
    const { client } = server;
    expect(client.call('SET', 'k', 'v')).toBe('-NOREPLICAS Not enough good replicas to write.\r\n');
    expect(client.call('GET', 'k')).toBe('$-1\r\n');
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    replica.waitPayload();
    replica.send('REPLCONF', 'ACK', '0');
    server.world.runFor(50);
    expect(client.call('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(infoField(client, 'replication', 'min_slaves_good_slaves')).toBe('1');
    server.world.runFor(3000);
    expect(client.call('SET', 'k', 'v')).toBe('-NOREPLICAS Not enough good replicas to write.\r\n');
  });
});

describe('the replica output-buffer limit', () => {
  it('drops a replica whose held stream passes the hard limit; it must sync again', () => {
    const server = setup(51, ['--client-output-buffer-limit', 'replica 64kb 0 0']);
    slowSaves(server);
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    expect(runUntil(server.world, () => server.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    // While the snapshot is written the stream is held for it: 100 KB of writes overflow it.
    for (let i = 0; i < 10; i++) server.client.call('SET', `big${i}`, 'x'.repeat(10_000));
    runUntil(server.world, () => replica.closed, 1000);
    expect(replica.closed).toBe(true);
    expect(
      server.logs.some((l) =>
        l.includes('scheduled to be closed ASAP for overcoming of output buffer limits'),
      ),
    ).toBe(true);
    expect(infoField(server.client, 'replication', 'connected_slaves')).toBe('0');
  });
});

describe('the replica output-buffer soft limit', () => {
  it('drops a replica only after it stayed over the soft limit for soft-seconds', () => {
    const server = setup(52, ['--client-output-buffer-limit', 'replica 0 32kb 2']);
    slowSaves(server);
    // The BGSAVE's fsync takes 10 s: the replica holds the stream all that time.
    server.host.disk.setFaults({ fsyncLatencyMsMin: 10_000, fsyncLatencyMsMax: 10_000 });
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    expect(runUntil(server.world, () => server.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    for (let i = 0; i < 4; i++) server.client.call('SET', `big${i}`, 'x'.repeat(10_000));
    server.world.runFor(1500);
    expect(replica.closed).toBe(false);
    server.world.runFor(1500);
    expect(replica.closed).toBe(true);
  });
});

describe('configuration', () => {
  it('shows Redis 7.0 defaults', () => {
    const server = startSimServer({ seed: 71 });
    const client = SimClient.open(server.world, server.world.addHost('c', '10.0.0.2'));
    const get = (name: string) => client.call('CONFIG', 'GET', name).split('\r\n')[4];
    expect(get('repl-backlog-size')).toBe('1048576');
    expect(get('repl-backlog-ttl')).toBe('3600');
    expect(get('repl-diskless-sync')).toBe('yes');
    expect(get('repl-diskless-sync-delay')).toBe('5');
    expect(get('repl-ping-replica-period')).toBe('10');
    expect(get('repl-timeout')).toBe('60');
    expect(get('min-replicas-to-write')).toBe('0');
    expect(get('min-replicas-max-lag')).toBe('10');
    expect(get('repl-snapshot-reuse')).toBe('no');
  });

  it('resizes the backlog on CONFIG SET repl-backlog-size, keeping its newest bytes', () => {
    const server = setup(72);
    const replica = openReplica(server);
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload();
    const [, replid = ''] = sync.line.split(' ');
    for (let i = 0; i < 3; i++) server.client.call('SET', `k${i}`, 'x'.repeat(10_000));
    replica.close();
    expect(server.client.call('CONFIG', 'SET', 'repl-backlog-size', '16kb')).toBe('+OK\r\n');
    server.world.runFor(1100);
    const offset = server.node.repl.masterReplOffset;
    expect(infoField(server.client, 'replication', 'repl_backlog_histlen')).toBe('16384');
    expect(infoField(server.client, 'replication', 'repl_backlog_first_byte_offset')).toBe(
      String(offset - 16384 + 1),
    );
    const again = openReplica(server);
    again.send('PSYNC', replid, String(offset - 100));
    server.world.runFor(100);
    expect(again.received.toString('latin1')).toMatch(/^\+CONTINUE\r\n/);
    expect(again.received.length).toBe('+CONTINUE\r\n'.length + 101);
  });
});
