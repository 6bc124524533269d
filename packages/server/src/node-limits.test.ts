/**
 * The per-client and per-server limits, in the simulator: maxclients rejects a connection with
 * Redis's error, client-query-buffer-limit drops a client without a reply, `timeout` closes idle
 * clients from the cron, and client-output-buffer-limit (normal class) closes a client whose
 * unsent replies pile up, at once past the hard limit and after `soft-seconds` past the soft one.
 *
 * Method: a SimWorld; virtual time is advanced exactly, and the output-buffer cases hold the
 * server-to-client direction of the link (a slow reader) so replies stay queued on the server.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

function infoField(client: SimClient, section: string, field: string): string {
  const text = client.call('INFO', section);
  const line = text.split('\r\n').find((candidate) => candidate.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`INFO ${section} has no ${field}`);
  return line.slice(field.length + 1);
}

describe('maxclients', () => {
  it('rejects the connection past the limit with -ERR max number of clients reached', () => {
    const { world, node } = startSimServer({ seed: 1, options: ['--maxclients', '2'] });
    const clientHost = world.addHost('client', '10.0.0.2');
    const first = SimClient.open(world, clientHost);
    const second = SimClient.open(world, clientHost);
    const third = SimClient.open(world, clientHost);
    expect(third.read(1)[0]?.bytes.toString()).toBe('-ERR max number of clients reached\r\n');
    expect(third.waitClosed()).toBe(true);
    expect(node.clients.size).toBe(2);
    expect(infoField(first, 'stats', 'rejected_connections')).toBe('1');
    // Redis counts the rejected connection as rejected only (acceptCommonHandler returns before
    // clientAcceptHandler counts it as received); checked against redis-server 7.0.15.
    expect(infoField(first, 'stats', 'total_connections_received')).toBe('2');
    expect(second.call('PING')).toBe('+PONG\r\n');
    // A slot frees up when a client leaves.
    second.close();
    world.runFor(50);
    const fourth = SimClient.open(world, clientHost);
    expect(fourth.call('PING')).toBe('+PONG\r\n');
  });

  it('applies a lowered maxclients to new connections only', () => {
    const { world, node } = startSimServer({ seed: 2 });
    const clientHost = world.addHost('client', '10.0.0.2');
    const clients = [SimClient.open(world, clientHost), SimClient.open(world, clientHost)];
    expect(clients[0]?.call('CONFIG', 'SET', 'maxclients', '1')).toBe('+OK\r\n');
    expect(clients[1]?.call('PING')).toBe('+PONG\r\n');
    const late = SimClient.open(world, clientHost);
    expect(late.read(1)[0]?.bytes.toString()).toBe('-ERR max number of clients reached\r\n');
    expect(node.clients.size).toBe(2);
  });
});

describe('client-query-buffer-limit', () => {
  it('drops a client whose pending request passes the limit, without a reply', () => {
    const { world, node, logs } = startSimServer({
      seed: 3,
      options: ['--client-query-buffer-limit', '1mb'],
      network: { fragmentChance: 0.5 },
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const bystander = SimClient.open(world, clientHost);
    const greedy = SimClient.open(world, clientHost);
    expect(greedy.call('PING')).toBe('+PONG\r\n');
    greedy.send(
      Buffer.concat([
        Buffer.from('*2\r\n$4\r\nECHO\r\n$3000000\r\n'),
        Buffer.alloc(1_500_000, 0x61),
      ]),
    );
    expect(greedy.waitClosed()).toBe(true);
    expect(greedy.unread()).toEqual([]);
    expect(node.clients.size).toBe(1);
    expect(
      logs.some((line) =>
        line.includes('# Closing client that reached max query buffer length: id=2'),
      ),
    ).toBe(true);
    expect(bystander.call('PING')).toBe('+PONG\r\n');
  });

  it('lets a request of the same size through when the limit allows it', () => {
    const { world } = startSimServer({ seed: 4, options: ['--client-query-buffer-limit', '4mb'] });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    const value = Buffer.alloc(1_500_000, 0x62);
    client.pipeline([
      ['SET', 'big', value],
      ['GET', 'big'],
    ]);
    const [ok, got] = client.read(2, 10_000);
    expect(ok?.bytes.toString()).toBe('+OK\r\n');
    expect(
      got?.bytes.equals(Buffer.concat([Buffer.from('$1500000\r\n'), value, Buffer.from('\r\n')])),
    ).toBe(true);
  });
});

describe('timeout', () => {
  it('closes a client idle for more than `timeout` seconds, from the cron', () => {
    const { world, node, logs } = startSimServer({
      seed: 5,
      options: ['--timeout', '1', '--loglevel', 'verbose'],
    });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    expect(client.call('PING')).toBe('+PONG\r\n');
    world.runFor(900);
    expect(client.closed).toBe(false);
    // Redis measures idleness in whole seconds, so it closes between 1 and 2 s (plus a cron tick).
    expect(client.waitClosed(1300)).toBe(true);
    expect(node.clients.size).toBe(0);
    expect(logs.some((line) => line.endsWith('- Closing idle client'))).toBe(true);
  });

  it('keeps a client that keeps talking, and applies CONFIG SET timeout at once', () => {
    const { world } = startSimServer({ seed: 6, options: ['--timeout', '1'] });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    for (let i = 0; i < 10; i++) {
      expect(client.call('PING')).toBe('+PONG\r\n');
      world.runFor(500);
    }
    expect(client.closed).toBe(false);
    expect(client.call('CONFIG', 'SET', 'timeout', '0')).toBe('+OK\r\n');
    world.runFor(10_000);
    expect(client.closed).toBe(false);
  });
});

describe('client-output-buffer-limit normal', () => {
  it('closes a client at once when its unsent replies pass the hard limit', () => {
    const { world, node, logs } = startSimServer({
      seed: 7,
      options: ['--client-output-buffer-limit', 'normal 4kb 0 0'],
    });
    const clientHost = world.addHost('client', '10.0.0.2');
    const reader = SimClient.open(world, clientHost);
    expect(reader.call('PING')).toBe('+PONG\r\n');
    // The client stops reading: replies stay queued on the server's side of the link.
    const hold = world.holdOneWay('server', 'client');
    reader.pipeline([['ECHO', 'x'.repeat(3000)]]);
    world.runFor(50);
    expect(node.clients.size).toBe(1);
    reader.pipeline([['ECHO', 'y'.repeat(3000)]]);
    world.runFor(50);
    expect(node.clients.size).toBe(0);
    expect(
      logs.some((line) =>
        line.includes('scheduled to be closed ASAP for overcoming of output buffer limits'),
      ),
    ).toBe(true);
    hold.remove();
    expect(reader.waitClosed()).toBe(true);
  });

  it('closes a client over the soft limit only after soft-seconds', () => {
    const { world, node } = startSimServer({
      seed: 8,
      options: ['--client-output-buffer-limit', 'normal 0 4kb 2'],
    });
    const reader = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    const hold = world.holdOneWay('server', 'client');
    reader.pipeline([['ECHO', 'x'.repeat(5000)]]);
    world.runFor(1000);
    reader.pipeline([['PING']]);
    world.runFor(500);
    expect(node.clients.size).toBe(1);
    world.runFor(1000);
    reader.pipeline([['PING']]);
    world.runFor(50);
    expect(node.clients.size).toBe(0);
    hold.remove();
    expect(reader.waitClosed()).toBe(true);
  });
});
