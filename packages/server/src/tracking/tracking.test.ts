/**
 * Client-side caching in the simulator: the byte stream a tracking client receives (replies,
 * then the invalidations of its own changes; other clients' changes as they happen; BCAST
 * batches at the end of the turn), the table's bookkeeping (INFO counters, forgetting a closed
 * client), tracking-table-max-keys eviction replayed exactly from a seed, and tracking on a
 * replica, where the master's stream and a full sync invalidate.
 *
 * Method: simulated nodes and raw clients (testing/); every check is on exact bytes or INFO
 * fields. test/diff-tracking.test.ts compares the same behaviour with a real redis-server.
 */
import { assert, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';
import { emptyData } from '../replication/replica-host.js';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';

const push = (key: string) => `>2\r\n$10\r\ninvalidate\r\n*1\r\n$${key.length}\r\n${key}\r\n`;

function setup(seed: number, options: readonly string[] = []) {
  const server = startSimServer({ seed, options });
  const open = (name: string, address: string) =>
    SimClient.open(server.world, server.world.addHost(name, address));
  return { ...server, open };
}

/** Runs virtual time for `ms` and returns everything `client` received meanwhile. */
function receivedOver(world: SimWorld, client: SimClient, ms: number): string {
  world.runUntilTrue(() => false, ms);
  return Buffer.concat(client.unread().map((reply) => reply.bytes)).toString('latin1');
}

function infoField(client: SimClient, field: string): string {
  const info = client.call('INFO', 'everything');
  const match = new RegExp(`${field}:(\\d+)`).exec(info);
  assert(match !== null, `INFO has ${field}`);
  return match[1] ?? '';
}

describe('default mode', () => {
  it('invalidates once per read, and after the reply for a change of its own', () => {
    const { world, open } = setup(1);
    const tracker = open('tracker', '10.0.0.2');
    const writer = open('writer', '10.0.0.3');
    tracker.call('HELLO', '3');
    expect(tracker.call('CLIENT', 'TRACKING', 'on')).toBe('+OK\r\n');
    expect(tracker.call('GET', 'k')).toBe('_\r\n');
    expect(writer.call('SET', 'k', '1')).toBe('+OK\r\n');
    expect(receivedOver(world, tracker, 100)).toBe(push('k'));
    // Forgotten after the first change: no second invalidation without a new read.
    writer.call('SET', 'k', '2');
    expect(receivedOver(world, tracker, 100)).toBe('');
    tracker.call('GET', 'k');
    tracker.pipeline([['SET', 'k', '3']]);
    expect(receivedOver(world, tracker, 100)).toBe(`+OK\r\n${push('k')}`);
    // In a transaction every pending invalidation follows EXEC's whole reply.
    tracker.call('GET', 'k');
    tracker.pipeline([['MULTI'], ['SET', 'k', '4'], ['GET', 'k'], ['SET', 'k', '5'], ['EXEC']]);
    expect(receivedOver(world, tracker, 100)).toBe(
      `+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n$1\r\n4\r\n+OK\r\n${push('k')}${push('k')}`,
    );
  });

  it('counts clients, keys and items, and forgets a client that closes', () => {
    const { world, open } = setup(2);
    const a = open('a', '10.0.0.2');
    const b = open('b', '10.0.0.3');
    const control = open('control', '10.0.0.4');
    a.call('CLIENT', 'TRACKING', 'on');
    b.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x', 'PREFIX', 'y');
    a.call('MGET', 'k1', 'k2');
    b.call('GET', 'k1');
    expect(infoField(control, 'tracking_clients')).toBe('2');
    expect(infoField(control, 'tracking_total_keys')).toBe('2');
    expect(infoField(control, 'tracking_total_items')).toBe('2');
    expect(infoField(control, 'tracking_total_prefixes')).toBe('2');
    b.close();
    world.runUntilTrue(() => false, 10);
    expect(infoField(control, 'tracking_clients')).toBe('1');
    expect(infoField(control, 'tracking_total_prefixes')).toBe('0');
    a.call('RESET');
    expect(infoField(control, 'tracking_clients')).toBe('0');
    // The ids stay in the table until the keys change or a flush, as in Redis.
    expect(infoField(control, 'tracking_total_items')).toBe('2');
    control.call('FLUSHALL');
    expect(infoField(control, 'tracking_total_keys')).toBe('0');
  });
});

describe('flushes', () => {
  it('send every tracking client a null in its protocol, the flushing client after its reply', () => {
    const { world, node, open } = setup(4);
    const resp3 = open('resp3', '10.0.0.2');
    const resp2 = open('resp2', '10.0.0.3');
    const target = open('target', '10.0.0.4');
    resp3.call('HELLO', '3');
    resp3.call('CLIENT', 'TRACKING', 'on');
    const targetId = /^:(\d+)/.exec(target.call('CLIENT', 'ID'))?.[1] ?? '';
    target.call('SUBSCRIBE', '__redis__:invalidate');
    resp2.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', targetId);
    resp3.pipeline([['FLUSHDB']]);
    expect(receivedOver(world, resp3, 100)).toBe('+OK\r\n>2\r\n$10\r\ninvalidate\r\n_\r\n');
    expect(receivedOver(world, target, 100)).toBe(
      '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n',
    );
    // A replica's full sync empties its data the same way (replica-host.ts's emptyData).
    emptyData(node);
    expect(receivedOver(world, resp3, 100)).toBe('>2\r\n$10\r\ninvalidate\r\n_\r\n');
    expect(receivedOver(world, target, 100)).toContain('$-1\r\n');
  });
});

describe('BCAST', () => {
  it('sends one sorted array per prefix at the end of the turn, leaving out NOLOOP changes', () => {
    const { world, open } = setup(3);
    const watcher = open('watcher', '10.0.0.2');
    const writer = open('writer', '10.0.0.3');
    watcher.call('HELLO', '3');
    watcher.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP', 'PREFIX', 'b', 'PREFIX', 'a');
    // One pipeline is one turn: its changes go out together, after all its replies.
    writer.pipeline([
      ['SET', 'b2', '1'],
      ['SET', 'a1', '1'],
      ['SET', 'b1', '1'],
      ['SET', 'c', '1'],
    ]);
    expect(receivedOver(world, watcher, 100)).toBe(
      '>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\na1\r\n>2\r\n$10\r\ninvalidate\r\n*2\r\n$2\r\nb1\r\n$2\r\nb2\r\n',
    );
    watcher.pipeline([['SET', 'a2', '1']]);
    expect(receivedOver(world, watcher, 100)).toBe('+OK\r\n');
  });
});

describe('tracking-table-max-keys', () => {
  function evictionRun(seed: number): string {
    const { world, open } = setup(seed, ['--tracking-table-max-keys', '3']);
    const tracker = open('tracker', '10.0.0.2');
    tracker.call('HELLO', '3');
    tracker.call('CLIENT', 'TRACKING', 'on');
    tracker.call('MGET', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8');
    // Idle: the cron brings the table back under the limit (serverCron's trackingLimitUsedSlots).
    const received = receivedOver(world, tracker, 500);
    const control = open('control', '10.0.0.3');
    expect(infoField(control, 'tracking_total_keys')).toBe('3');
    return received;
  }

  it('invalidates random keys until the table fits, the same ones for the same seed', () => {
    const first = evictionRun(7);
    expect(first.split('invalidate').length - 1).toBe(5);
    expect(evictionRun(7)).toBe(first);
  });

  it('evicts before the command runs, so the invalidations come before its reply', () => {
    const { world, open } = setup(8, ['--tracking-table-max-keys', '1', '--hz', '1']);
    const tracker = open('tracker', '10.0.0.2');
    tracker.call('HELLO', '3');
    tracker.call('CLIENT', 'TRACKING', 'on');
    tracker.call('MGET', 'k1', 'k2');
    tracker.pipeline([['PING']]);
    const received = receivedOver(world, tracker, 100);
    expect(received).toMatch(/^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$2\r\nk[12]\r\n\+PONG\r\n$/);
  });
});

describe('on a replica', () => {
  function boot(world: SimWorld, name: string, index: number, options: readonly string[]) {
    const host = world.addHost(name, `10.0.1.${index}`);
    const loaded = loadConfig('', [
      '--port',
      '6379',
      '--bind',
      '0.0.0.0',
      '--save',
      '',
      '--protected-mode',
      'no',
      ...options,
    ]);
    assert(loaded.ok, 'bad options');
    const node = new ServerNode({
      env: host.env,
      config: loaded.config,
      logSink: () => {},
      pid: index,
    });
    let started = false;
    node.start(() => {
      started = true;
    });
    world.runUntilTrue(() => started, 1000);
    let clients = 0;
    const client = () => {
      clients++;
      const clientHost = world.addHost(`${name}-c${clients}`, `10.0.${index + 1}.${clients}`);
      return SimClient.open(world, clientHost, host.address, 6379);
    };
    return { node, client };
  }

  it('invalidates the keys the master changes, by key and by BCAST prefix', () => {
    const world = new SimWorld({ seed: 11 });
    const master = boot(world, 'master', 1, []);
    const replica = boot(world, 'replica', 2, ['--replicaof', '10.0.1.1', '6379']);
    const writer = master.client();
    writer.call('SET', 'k', 'v1');
    const caughtUp = () =>
      replica.node.replicaLink?.connected === true &&
      replica.node.repl.masterReplOffset === master.node.repl.masterReplOffset;
    expect(world.runUntilTrue(caughtUp, 20_000)).toBe(true);
    const reader = replica.client();
    reader.call('HELLO', '3');
    reader.call('CLIENT', 'TRACKING', 'on');
    expect(reader.call('GET', 'k')).toBe('$2\r\nv1\r\n');
    writer.call('SET', 'k', 'v2');
    expect(receivedOver(world, reader, 200)).toBe(push('k'));
    const watcher = replica.client();
    watcher.call('HELLO', '3');
    watcher.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:');
    writer.call('MSET', 'user:2', 'x', 'other', 'y', 'user:1', 'z');
    expect(receivedOver(world, watcher, 200)).toBe(
      '>2\r\n$10\r\ninvalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n',
    );
  });
});
