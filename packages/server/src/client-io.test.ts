/**
 * Hostile input and limits on the client IO path (issue 9 items 1, 4 and 5), in the simulator.
 *
 * - Item 1: chunks that arrive while the node is paused queue in the parser and run, in order,
 *   when the pause ends; a bulk completed during the pause used to crash the process.
 * - Item 4: the output buffer limits are checked after every command, not once per read; a
 *   client runs a bounded number of commands per turn, then yields to the others through a timer;
 *   a client whose unsent output is over the pause threshold is not read until it drains.
 * - Item 5: after a protocol error the server answers, then releases the connection at once,
 *   whether or not the peer closes its side.
 *
 * Method: a SimWorld with a server and raw clients; virtual time is advanced exactly. Links are
 * held one way to model a client that does not read.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_COMMANDS_PER_TURN_MAX } from './client-io.js';
import { CLIENT_REPLY_BYTES_PER_TURN_MAX } from './client-output.js';
import { SimClient } from './testing/sim-client.js';
import { runUntil, startSimServer } from './testing/sim-server.js';

describe('input that arrives while the node is paused (issue 9 item 1)', () => {
  it('runs a bulk completed during DEBUG SLEEP and the requests fed after it', () => {
    const { world, node } = startSimServer({
      seed: 91,
      options: ['--enable-debug-command', 'yes'],
      network: { fragmentChance: 0 },
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const writer = SimClient.open(world, clientHost);
    const sleeper = SimClient.open(world, clientHost);
    writer.send(
      Buffer.concat([
        Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n'),
        Buffer.alloc(1000, 0x76),
      ]),
    );
    world.runFor(20);
    sleeper.send('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$1\r\n2\r\n');
    world.runFor(20);
    expect(node.paused).toBe(true);
    writer.send(Buffer.concat([Buffer.alloc(99_000, 0x76), Buffer.from('\r\nPING\r\n')]));
    world.runFor(20);
    writer.send('PING\r\n');
    world.runFor(20);
    expect(node.paused).toBe(true);
    const replies = writer.read(3, 3000).map((reply) => reply.bytes.toString());
    expect(replies).toEqual(['+OK\r\n', '+PONG\r\n', '+PONG\r\n']);
    expect(sleeper.read(1)[0]?.bytes.toString()).toBe('+OK\r\n');
    expect(writer.call('STRLEN', 'k')).toBe(':100000\r\n');
  });
});

describe('client-query-buffer-limit while requests are not run', () => {
  const pings = (count: number): Buffer => Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(count));

  it('does not read a client during DEBUG SLEEP, so a long pipeline then is not over the limit', () => {
    // Redis reads nothing while it sleeps: the pipeline waits in the network, not the query buffer.
    const { world, node } = startSimServer({
      seed: 92,
      options: ['--enable-debug-command', 'yes', '--client-query-buffer-limit', '1mb'],
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const writer = SimClient.open(world, clientHost);
    const sleeper = SimClient.open(world, clientHost);
    sleeper.send('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$1\r\n1\r\n');
    world.runFor(20);
    expect(node.paused).toBe(true);
    const count = 80_000;
    writer.send(pings(count));
    world.runFor(500);
    expect(writer.closed).toBe(false);
    expect(writer.connection.bufferedBytes()).toBeGreaterThan(1024 * 1024);
    const replies = writer.read(count, 10_000);
    expect(replies.every((reply) => reply.bytes.toString() === '+PONG\r\n')).toBe(true);
  });

  it('closes a blocked client whose unread requests pass the limit, as readQueryFromClient does', () => {
    const { world, node, logs } = startSimServer({
      seed: 93,
      options: ['--client-query-buffer-limit', '1mb'],
    });
    const blocked = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    blocked.pipeline([['BLPOP', 'nothing', '0']]);
    world.runFor(20);
    blocked.send(pings(80_000));
    expect(blocked.waitClosed(2000)).toBe(true);
    expect(node.clients.size).toBe(0);
    expect(logs.some((line) => line.includes('Closing client that reached max query buffer'))).toBe(
      true,
    );
  });
});

describe('closing after a protocol error (issue 9 item 5)', () => {
  it('answers the error, then releases the connection while the peer keeps its side open', () => {
    const { world, node } = startSimServer({ seed: 95 });
    const clientHost = world.addHost('client', '10.0.0.2');
    const bystander = SimClient.open(world, clientHost);
    const baseline = world.network.openConnectionCount('server');
    const peers: SimClient[] = [];
    for (let i = 0; i < 20; i++) peers.push(SimClient.open(world, clientHost));
    expect(world.network.openConnectionCount('server')).toBe(baseline + 20);
    // Nothing the peers send reaches the server any more, their FIN included: to the server
    // they are peers that stay connected after the error.
    for (const peer of peers) peer.send('*1\r\nx\r\n');
    // Hold as soon as the last error is answered, before any peer's FIN can come back.
    runUntil(world, () => node.clients.size === 1, 100);
    const hold = world.holdOneWay('client', 'server');
    world.runFor(100);
    for (const peer of peers) {
      expect(peer.read(1)[0]?.bytes.toString()).toBe(
        "-ERR Protocol error: expected '$', got 'x'\r\n",
      );
    }
    expect(node.clients.size).toBe(1);
    expect(world.network.openConnectionCount('server')).toBe(baseline);
    hold.remove();
    expect(bystander.call('PING')).toBe('+PONG\r\n');
  });
});

/** `count` pipelined GETs of `key`, as one write. */
function gets(count: number, key: string): string[][] {
  return Array.from({ length: count }, () => ['GET', key]);
}

describe('output limits and turns (issue 9 item 4)', () => {
  /** One chunk per write, no fragmentation, 1 ms links: the pipeline arrives in one data event. */
  const network = {
    fragmentChance: 0,
    chunkBytesMax: 64 * 1024 * 1024,
    latencyMsMin: 1,
    latencyMsMax: 1,
  };

  it('closes at the hard limit as replies are produced, not after the whole read', () => {
    const { world, node, logs } = startSimServer({
      seed: 41,
      options: ['--client-output-buffer-limit', 'normal 100kb 50kb 10'],
      network,
    });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    expect(client.call('SET', 'k', 'v'.repeat(10_000))).toBe('+OK\r\n');
    const before = node.stats.commandsProcessed;
    client.pipeline(gets(500, 'k'));
    expect(client.waitClosed()).toBe(true);
    // Redis stops at the GET that crosses 100 kb (the 10th or 11th), and sends none of them.
    expect(node.stats.commandsProcessed - before).toBeLessThanOrEqual(11);
    expect(node.stats.commandsProcessed - before).toBeGreaterThanOrEqual(10);
    expect(client.unread()).toEqual([]);
    expect(
      logs.filter((line) => line.includes('for overcoming of output buffer limits')),
    ).toHaveLength(1);
  });

  it('runs at most CLIENT_COMMANDS_PER_TURN_MAX commands of one client before another client', () => {
    const { world } = startSimServer({ seed: 42, network });
    const clientHost = world.addHost('client', '10.0.0.2');
    const greedy = SimClient.open(world, clientHost);
    const other = SimClient.open(world, clientHost);
    greedy.pipeline(Array.from({ length: 3000 }, () => ['INCR', 'n']));
    other.pipeline([['INCR', 'n']]);
    // Both arrive in the same millisecond, the greedy pipeline first: it gets one turn, then the
    // other client runs, then the greedy client's remaining turns.
    expect(other.read(1)[0]?.bytes.toString()).toBe(`:${CLIENT_COMMANDS_PER_TURN_MAX + 1}\r\n`);
    const replies = greedy.read(3000, 5000);
    expect(replies[CLIENT_COMMANDS_PER_TURN_MAX]?.bytes.toString()).toBe(
      `:${CLIENT_COMMANDS_PER_TURN_MAX + 2}\r\n`,
    );
    expect(replies[2999]?.bytes.toString()).toBe(':3001\r\n');
  });

  it('stops running and reading a client whose unsent replies are over its soft limit', () => {
    const { world, node } = startSimServer({
      seed: 43,
      options: ['--client-output-buffer-limit', 'normal 0 1mb 60'],
      network,
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const reader = SimClient.open(world, clientHost);
    const value = Buffer.alloc(100_000, 0x61);
    expect(reader.call('SET', 'k', value)).toBe('+OK\r\n');
    const hold = world.holdOneWay('server', 'client');
    const before = node.stats.commandsProcessed;
    reader.pipeline(gets(300, 'k'));
    world.runFor(2000);
    // One turn's worth of replies (CLIENT_REPLY_BYTES_PER_TURN_MAX), then nothing until it drains.
    const ran = node.stats.commandsProcessed - before;
    expect(ran).toBeLessThanOrEqual(Math.ceil(CLIENT_REPLY_BYTES_PER_TURN_MAX / 100_000) + 1);
    expect(node.clients.size).toBe(1);
    // The client reads again: every reply arrives, in order, and the client stays.
    hold.remove();
    const replies = reader.read(300, 20_000);
    const expected = Buffer.concat([Buffer.from('$100000\r\n'), value, Buffer.from('\r\n')]);
    expect(replies.every((reply) => reply.bytes.equals(expected))).toBe(true);
    expect(reader.closed).toBe(false);
    expect(reader.call('PING')).toBe('+PONG\r\n');
  });

  it('closes a paused client that stays over its soft limit for soft-seconds', () => {
    const { world, node } = startSimServer({
      seed: 44,
      options: ['--client-output-buffer-limit', 'normal 0 1mb 3'],
      network,
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const reader = SimClient.open(world, clientHost);
    expect(reader.call('SET', 'k', 'x'.repeat(100_000))).toBe('+OK\r\n');
    world.holdOneWay('server', 'client');
    reader.pipeline(gets(1000, 'k'));
    world.runFor(2500);
    expect(node.clients.size).toBe(1);
    world.runFor(1000);
    expect(node.clients.size).toBe(0);
  });
});
