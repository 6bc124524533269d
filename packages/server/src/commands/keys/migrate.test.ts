/**
 * MIGRATE in the simulator, for what a differential test against Redis cannot show: the behaviour
 * that exists because replisim does not block its event loop, and the connection cache over time.
 *
 * Method: a replisim node on a simulated host, and a fake target on another host: a listener that
 * records every byte it receives and answers only when the test tells it to, so a test can hold
 * the target's replies while other clients use the node. Virtual time makes the 10 s cache TTL
 * cost nothing. Each test checks replies, the keyspace and the propagated commands.
 */
import type { Connection, SimHost } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { propagatedArgvLines } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { runUntil, type SimServer, startSimServer } from '../../testing/sim-server.js';
import { MIGRATE_SOCKET_CACHE_TTL_MS, migrateCachedSocketCount } from './migrate.js';

const TARGET_ADDRESS = '10.0.0.9';
const TARGET_PORT = 7000;

/** A target that records what each accepted connection receives and replies on demand. */
class FakeTarget {
  readonly connections: { connection: Connection; received: string; closed: boolean }[] = [];

  constructor(host: SimHost) {
    host.env.network.listen(
      { host: '0.0.0.0', port: TARGET_PORT },
      (connection) => {
        const entry = { connection, received: '', closed: false };
        this.connections.push(entry);
        connection.onData((chunk) => {
          entry.received += chunk.toString('latin1');
        });
        connection.onClose(() => {
          entry.closed = true;
        });
      },
      (result) => expect(result.ok).toBe(true),
    );
  }

  /** How many `name` commands connection `index` has received so far. */
  commandCount(index: number, name: string): number {
    const received = this.connections[index]?.received ?? '';
    return received.split(`\r\n${name}\r\n`).length - 1;
  }

  reply(index: number, lines: string): void {
    this.connections[index]?.connection.write(Buffer.from(lines, 'latin1'));
  }
}

function setup(seed: string): { server: SimServer; target: FakeTarget } {
  const server = startSimServer({ seed });
  const target = new FakeTarget(server.world.addHost('target', TARGET_ADDRESS));
  server.world.runFor(10);
  return { server, target };
}

const MIGRATE = ['MIGRATE', TARGET_ADDRESS, String(TARGET_PORT)];

describe('MIGRATE without blocking the node', () => {
  it('suspends only its caller: others are served while the target has not answered', () => {
    const { server, target } = setup('migrate-suspend');
    const caller = SimClient.open(server.world, server.host);
    const other = SimClient.open(server.world, server.host);
    caller.call('SET', 'k', 'v');
    caller.send('*6\r\n$7\r\nMIGRATE\r\n$8\r\n10.0.0.9\r\n$4\r\n7000\r\n$1\r\nk\r\n$1\r\n0\r\n');
    caller.send('$4\r\n5000\r\n');
    caller.send('*2\r\n$6\r\nEXISTS\r\n$1\r\nk\r\n');
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 1, 1000);
    // The caller's pipelined EXISTS waits; another client is answered at once.
    expect(other.call('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(caller.unread()).toEqual([]);
    target.reply(0, '+OK\r\n+OK\r\n');
    const replies = caller.read(2).map((reply) => reply.bytes.toString('latin1'));
    expect(replies).toEqual(['+OK\r\n', ':0\r\n']);
  });

  it('keeps a key another client changed before the target answered, and propagates no DEL of it', () => {
    const { server, target } = setup('migrate-changed');
    const propagated = propagatedArgvLines(server.node);
    const caller = SimClient.open(server.world, server.host);
    const other = SimClient.open(server.world, server.host);
    caller.call('MSET', 'a', '1', 'b', '2');
    caller.send(
      Buffer.from(
        '*9\r\n$7\r\nMIGRATE\r\n$8\r\n10.0.0.9\r\n$4\r\n7000\r\n$0\r\n\r\n$1\r\n0\r\n$4\r\n5000\r\n$4\r\nKEYS\r\n$1\r\na\r\n$1\r\nb\r\n',
      ),
    );
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 2, 1000);
    expect(other.call('APPEND', 'b', 'x')).toBe(':2\r\n');
    target.reply(0, '+OK\r\n+OK\r\n+OK\r\n');
    expect(caller.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    expect(other.call('EXISTS', 'a')).toBe(':0\r\n');
    expect(other.call('GET', 'b')).toBe('$2\r\n2x\r\n');
    expect(propagated).toEqual(['MSET a 1 b 2', 'APPEND b x', 'DEL a']);
  });

  it('runs concurrent MIGRATEs one after the other on the cached connection', () => {
    const { server, target } = setup('migrate-serial');
    const first = SimClient.open(server.world, server.host);
    const second = SimClient.open(server.world, server.host);
    first.call('MSET', 'a', '1', 'b', '2');
    first.pipeline([[...MIGRATE, 'a', '0', '5000']]);
    second.pipeline([[...MIGRATE, 'b', '0', '5000']]);
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 1, 1000);
    server.world.runFor(100);
    // One connection, and the second MIGRATE's RESTORE waits for the first's replies.
    expect(target.connections.length).toBe(1);
    expect(target.commandCount(0, 'RESTORE')).toBe(1);
    target.reply(0, '+OK\r\n+OK\r\n');
    expect(first.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 2, 1000);
    // Database 0 is selected on the cached connection already: no second SELECT.
    expect(target.commandCount(0, 'SELECT')).toBe(1);
    target.reply(0, '+OK\r\n');
    expect(second.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    expect(migrateCachedSocketCount(server.node)).toBe(1);
  });

  it('closes the cached connection after 10 s unused, and reconnects when the target closed it', () => {
    const { server, target } = setup('migrate-cache');
    const caller = SimClient.open(server.world, server.host);
    caller.call('MSET', 'a', '1', 'b', '2');
    caller.pipeline([[...MIGRATE, 'a', '0', '5000', 'COPY']]);
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 1, 1000);
    target.reply(0, '+OK\r\n+OK\r\n');
    expect(caller.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    server.world.runFor(MIGRATE_SOCKET_CACHE_TTL_MS - 1000);
    expect(target.connections[0]?.closed).toBe(false);
    server.world.runFor(2500);
    expect(target.connections[0]?.closed).toBe(true);
    expect(migrateCachedSocketCount(server.node)).toBe(0);
    // A new connection; the target closes it: the next MIGRATE retries on a third one.
    caller.pipeline([[...MIGRATE, 'a', '0', '5000', 'COPY']]);
    runUntil(server.world, () => target.commandCount(1, 'RESTORE') === 1, 1000);
    target.reply(1, '+OK\r\n+OK\r\n');
    expect(caller.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    target.connections[1]?.connection.end();
    server.world.runFor(50);
    caller.pipeline([[...MIGRATE, 'b', '0', '5000']]);
    runUntil(server.world, () => target.commandCount(2, 'RESTORE') === 1, 1000);
    target.reply(2, '+OK\r\n+OK\r\n');
    expect(caller.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    expect(caller.call('EXISTS', 'a', 'b')).toBe(':1\r\n');
  });

  it('cuts off a target that floods an idle cached connection', () => {
    const { server, target } = setup('migrate-flood');
    const caller = SimClient.open(server.world, server.host);
    caller.call('SET', 'k', 'v');
    caller.pipeline([[...MIGRATE, 'k', '0', '5000', 'COPY']]);
    runUntil(server.world, () => target.commandCount(0, 'RESTORE') === 1, 1000);
    target.reply(0, '+OK\r\n+OK\r\n');
    expect(caller.read(1)[0]?.bytes.toString('latin1')).toBe('+OK\r\n');
    target.reply(0, '+OK\r\n'.repeat(4096));
    server.world.runFor(50);
    expect(migrateCachedSocketCount(server.node)).toBe(1);
    target.reply(0, '+OK\r\n'.repeat(16384));
    expect(runUntil(server.world, () => target.connections[0]?.closed === true, 1000)).toBe(true);
    expect(migrateCachedSocketCount(server.node)).toBe(0);
  });

  it('times out a silent target with IOERR and keeps the key', () => {
    const { server, target } = setup('migrate-timeout');
    const caller = SimClient.open(server.world, server.host);
    caller.call('SET', 'k', 'v');
    caller.pipeline([[...MIGRATE, 'k', '0', '300']]);
    const [reply] = caller.read(1, 1000);
    expect(reply?.bytes.toString('latin1')).toBe(
      '-IOERR error or timeout reading to target instance\r\n',
    );
    expect(target.connections.length).toBe(1);
    expect(caller.call('EXISTS', 'k')).toBe(':1\r\n');
    server.world.runFor(10);
    expect(target.connections[0]?.closed).toBe(true);
  });

  it('refuses to wait inside MULTI/EXEC (a documented difference)', () => {
    const { server } = setup('migrate-multi');
    const caller = SimClient.open(server.world, server.host);
    caller.call('SET', 'k', 'v');
    expect(caller.call('MULTI')).toBe('+OK\r\n');
    expect(caller.call(...MIGRATE, 'k', '0', '5000')).toBe('+QUEUED\r\n');
    expect(caller.call('EXEC')).toBe(
      '*1\r\n-ERR MIGRATE cannot run inside MULTI/EXEC or a script in replisim\r\n',
    );
  });
});
