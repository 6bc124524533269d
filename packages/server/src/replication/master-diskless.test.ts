/**
 * Diskless full syncs (repl-diskless-sync yes, Redis 7.0's default; reference §3.1.5, §3.3, §8
 * anchor 2), in the simulator with hand-driven replicas.
 *
 * What must hold: a replica with capa eof waits repl-diskless-sync-delay seconds (getting only
 * keepalive newlines), then gets `+FULLRESYNC <id> <offset>` and `$EOF:<40 hex>\r\n<rdb><mark>`
 * whose repl-offset AUX equals the offset; its stream starts only after its first REPLCONF ACK,
 * beginning with SELECT; several replicas share one snapshot (max-replicas starts it early); a
 * replica arriving while the socket BGSAVE runs waits for the next; a replica without capa eof
 * gets a disk payload at once.
 */
import { encodeCommand, RdbReader } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { SimRawReplica } from '../testing/sim-raw-replica.js';
import { runUntil, type SimServer, startSimServer } from '../testing/sim-server.js';

function setup(seed: number, options: string[] = []): SimServer & { client: SimClient } {
  const server = startSimServer({
    seed,
    options: ['--save', '', '--enable-debug-command', 'yes', ...options],
  });
  const host = server.world.addHost('client', '10.0.0.2');
  return { ...server, client: SimClient.open(server.world, host) };
}

let nextAddress = 10;
function eofReplica(server: SimServer): SimRawReplica {
  nextAddress++;
  const replica = SimRawReplica.open(
    server.world,
    server.world.addHost(`r${nextAddress}`, `10.0.2.${nextAddress}`),
  );
  expect(replica.handshake('REPLCONF', 'capa', 'eof', 'capa', 'psync2')).toBe('+OK');
  return replica;
}

function auxFields(payload: Buffer): Map<string, string> {
  const reader = new RdbReader();
  reader.push(payload);
  reader.end();
  const fields = new Map<string, string>();
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    if (record.kind === 'aux') fields.set(record.name, record.value);
  }
  return fields;
}

const cmd = (...argv: string[]): string => encodeCommand(argv).toString('latin1');

describe('diskless sync', () => {
  it('waits the delay with newlines, streams $EOF framing, holds the stream until the first ACK', () => {
    const server = setup(61);
    server.client.call('SET', 'k', 'v');
    const replica = eofReplica(server);
    replica.send('PSYNC', '?', '-1');
    server.world.runFor(4500);
    // Only keepalive newlines during the 5 s default delay.
    expect(replica.received.toString('latin1')).toMatch(/^\n{3,5}$/);
    const sync = replica.waitPayload(3000);
    // One `ping` (14 bytes) went into the stream during the delay, as Redis's observed offset 14.
    expect(sync.line).toMatch(/^\+FULLRESYNC [0-9a-f]{40} 14$/);
    expect(sync.eofMark).toMatch(/^[0-9a-f]{40}$/);
    expect(auxFields(sync.payload).get('repl-offset')).toBe('14');
    expect(server.logs.some((l) => l.includes('Delay next BGSAVE for diskless SYNC'))).toBe(true);
    expect(
      server.logs.some((l) => l.includes('Starting BGSAVE for SYNC with target: replicas sockets')),
    ).toBe(true);
    // The payload ends exactly with the mark: nothing follows until REPLCONF ACK.
    server.client.call('SET', 'after', '1');
    server.world.runFor(200);
    expect(replica.received.toString('latin1').endsWith(sync.eofMark ?? '?')).toBe(true);
    replica.send('REPLCONF', 'ACK', '14');
    const expected = cmd('SELECT', '0') + cmd('SET', 'after', '1');
    expect(replica.waitStream(expected.length).toString('latin1')).toBe(expected);
    // A diskless sync writes no file and changes no save status.
    expect(server.host.disk.existsSync('dump.rdb')).toBe(false);
  });

  it('shares one snapshot between replicas; max-replicas starts it without waiting the delay', () => {
    const server = setup(62, [
      '--repl-diskless-sync-delay',
      '60',
      '--repl-diskless-sync-max-replicas',
      '2',
    ]);
    const a = eofReplica(server);
    a.send('PSYNC', '?', '-1');
    server.world.runFor(1500);
    expect(a.received.toString('latin1')).toMatch(/^\n*$/);
    const b = eofReplica(server);
    b.send('PSYNC', '?', '-1');
    const syncA = a.waitPayload(3000);
    const syncB = b.waitPayload(3000);
    expect(syncB.line).toBe(syncA.line);
    expect(syncB.eofMark).toBe(syncA.eofMark);
    expect(syncB.payload.equals(syncA.payload)).toBe(true);
    expect(server.logs.filter((l) => l.includes('Background RDB transfer started')).length).toBe(1);
  });

  it('makes a replica arriving during a socket BGSAVE wait for the next one', () => {
    // Uncompressed, so the 12 MB of values below really are 12 MB on the wire.
    const server = setup(63, ['--repl-diskless-sync-delay', '0', '--rdbcompression', 'no']);
    // 12 MB of values: the replica sockets fill past the sink's high-water mark (8 MB), so the
    // snapshot waits for them to drain and the transfer spans virtual time.
    expect(server.client.call('DEBUG', 'POPULATE', '120', 'key', '100000')).toBe('+OK\r\n');
    const first = eofReplica(server);
    const late = eofReplica(server);
    first.send('PSYNC', '?', '-1');
    expect(runUntil(server.world, () => server.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    late.send('PSYNC', '?', '-1');
    runUntil(server.world, () => server.logs.some((l) => l.includes('socket target')), 1000);
    expect(
      server.logs.some((l) =>
        l.includes('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC'),
      ),
    ).toBe(true);
    const syncFirst = first.waitPayload(30_000);
    const syncLate = late.waitPayload(30_000);
    expect(syncLate.eofMark).not.toBe(syncFirst.eofMark);
    expect(server.logs.filter((l) => l.includes('Background RDB transfer started')).length).toBe(2);
  });

  it('drops a replica that stops reading its diskless payload for repl-timeout (full sync)', () => {
    const server = setup(65, [
      '--repl-diskless-sync-delay',
      '0',
      '--rdbcompression',
      'no',
      '--repl-timeout',
      '2',
    ]);
    expect(server.client.call('DEBUG', 'POPULATE', '120', 'key', '100000')).toBe('+OK\r\n');
    nextAddress++;
    const host = server.world.addHost(`r${nextAddress}`, `10.0.2.${nextAddress}`);
    const replica = SimRawReplica.open(server.world, host);
    expect(replica.handshake('REPLCONF', 'capa', 'eof')).toBe('+OK');
    replica.send('PSYNC', '?', '-1');
    expect(runUntil(server.world, () => server.node.persistence.bgsaveInProgress, 1000)).toBe(true);
    // The replica's side stops taking bytes: the payload sits in the master's socket.
    server.world.hold(server.host, host);
    server.world.runFor(4500);
    expect(
      server.logs.some((l) => l.includes('Disconnecting timedout replica (full sync): 10.0.2.')),
    ).toBe(true);
    expect(server.logs.some((l) => l.includes('Background transfer error'))).toBe(true);
    expect(server.node.persistence.bgsaveInProgress).toBe(false);
  });

  it('sends a disk payload at once to a replica without capa eof', () => {
    const server = setup(64);
    nextAddress++;
    const replica = SimRawReplica.open(
      server.world,
      server.world.addHost(`r${nextAddress}`, `10.0.2.${nextAddress}`),
    );
    replica.send('PSYNC', '?', '-1');
    const sync = replica.waitPayload(1000);
    expect(sync.eofMark).toBeUndefined();
    expect(server.logs.some((l) => l.includes('Starting BGSAVE for SYNC with target: disk'))).toBe(
      true,
    );
  });
});
