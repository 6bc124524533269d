/**
 * Pub/Sub in the simulator, for what a differential test against a real server cannot show
 * cheaply: the output buffer class of a subscriber, and the client state CLIENT LIST reports.
 *
 * Method: a SimWorld with the subscriber on a host of its own, so the server-to-subscriber
 * direction can be held (a slow reader) while a publisher on another host keeps publishing; the
 * messages then stay queued on the server's side, as in Redis's output buffer.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';

/** A subscriber whose link is held, and a publisher that sends two 3000-byte messages. */
function floodSubscriber(options: readonly string[]): { closed: boolean; logs: string[] } {
  const { world, node, logs } = startSimServer({ seed: 11, options: [...options] });
  const subscriber = SimClient.open(world, world.addHost('sub', '10.0.0.3'));
  const publisher = SimClient.open(world, world.addHost('pub', '10.0.0.2'));
  expect(subscriber.call('SUBSCRIBE', 'news')).toBe(
    '*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n',
  );
  const hold = world.holdOneWay('server', 'sub');
  expect(publisher.call('PUBLISH', 'news', 'x'.repeat(3000))).toBe(':1\r\n');
  expect(publisher.call('PUBLISH', 'news', 'y'.repeat(3000))).toBe(':1\r\n');
  world.runFor(50);
  const closed = node.clients.size === 1;
  hold.remove();
  return { closed, logs };
}

describe('the pubsub output buffer class', () => {
  it('closes a subscriber past the pubsub hard limit', () => {
    const { closed, logs } = floodSubscriber(['--client-output-buffer-limit', 'pubsub 4kb 0 0']);
    expect(closed).toBe(true);
    expect(logs.some((line) => line.includes('overcoming of output buffer limits'))).toBe(true);
  });

  it('does not apply the normal class to a subscriber', () => {
    const { closed } = floodSubscriber([
      '--client-output-buffer-limit',
      'normal 4kb 0 0 pubsub 0 0 0',
    ]);
    expect(closed).toBe(false);
  });
});

describe('CLIENT LIST for subscribers and blocked clients', () => {
  it('shows P and the sub/psub/ssub counts, and TYPE pubsub selects subscribers', () => {
    const { world } = startSimServer({ seed: 12 });
    const host = world.addHost('client', '10.0.0.2');
    const subscriber = SimClient.open(world, host);
    const observer = SimClient.open(world, host);
    subscriber.pipeline([
      ['SUBSCRIBE', 'a', 'b'],
      ['PSUBSCRIBE', 'p*'],
      ['SSUBSCRIBE', 's'],
    ]);
    expect(subscriber.read(4)).toHaveLength(4);
    const line = observer.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
    expect(line).toMatch(/ flags=P db=0 sub=2 psub=1 ssub=1 /);
    expect(observer.call('CLIENT', 'LIST', 'TYPE', 'normal')).toMatch(/cmd=client\|list/);
    expect(observer.call('CLIENT', 'LIST', 'TYPE', 'normal')).not.toMatch(/flags=P/);
  });

  it('shows b for a client blocked in BLPOP (Redis CLIENT_BLOCKED)', () => {
    const { world } = startSimServer({ seed: 13 });
    const host = world.addHost('client', '10.0.0.2');
    const blocked = SimClient.open(world, host);
    const observer = SimClient.open(world, host);
    blocked.pipeline([['BLPOP', 'list', '0']]);
    world.runFor(10);
    expect(observer.call('CLIENT', 'LIST')).toMatch(/ flags=b db=0 .* cmd=blpop /);
    expect(observer.call('LPUSH', 'list', 'x')).toBe(':1\r\n');
    expect(blocked.read(1)).toHaveLength(1);
    expect(observer.call('CLIENT', 'LIST')).not.toMatch(/flags=b/);
  });
});
