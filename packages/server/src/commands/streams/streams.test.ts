/**
 * Streams in the simulator: `*` IDs come from the node's wall clock (the Env's, so a simulated
 * clock skew shows in them) and never go back when that clock does; XREAD BLOCK and XREADGROUP
 * BLOCK wait in virtual time, time out at exactly the time asked for, and are served by an XADD
 * from another client with the XADD propagated before the XCLAIM of the delivery. Reply bytes
 * and propagation forms are compared with Redis in test/diff-streams*.test.ts; this file checks
 * what only the simulator can: the clock and virtual time.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { propagatedArgvLines } from '../../testing/propagation-log.js';
import { clientOpener } from '../../testing/sim-client.js';
import { runUntil, startSimServer } from '../../testing/sim-server.js';

function setup(options: readonly string[] = []) {
  const server = startSimServer({ seed: 11, options: [...options] });
  const open = clientOpener(server.world);
  const stream = propagatedArgvLines(server.node);
  const blockedBecomes = (count: number): void => {
    const reached = runUntil(server.world, () => server.node.blocking.blockedCount === count, 2000);
    expect(reached, `blocked clients reach ${count}`).toBe(true);
  };
  return { ...server, open, stream, blockedBecomes };
}

const bulkText = (reply: string): string => reply.split('\r\n')[1] ?? '';

describe('streams in the simulator', () => {
  it('takes * IDs from the Env wall clock and never goes back', () => {
    const { host, open } = setup();
    const client = open();
    // Virtual time passes while a request travels: the ID is the clock when the command ran.
    const before = host.env.clock.wallMs();
    const [firstMs, firstSeq] = bulkText(client.call('XADD', 's', '*', 'f', 'v')).split('-');
    expect(Number(firstSeq)).toBe(0);
    expect(Number(firstMs)).toBeGreaterThanOrEqual(before);
    expect(Number(firstMs)).toBeLessThanOrEqual(host.env.clock.wallMs());
    host.setWallSkew(-60_000);
    // The clock is now a minute behind the last ID: the sequence continues instead.
    expect(bulkText(client.call('XADD', 's', '*', 'f', 'v'))).toBe(`${firstMs}-1`);
    expect(bulkText(client.call('XADD', 's', '*', 'f', 'v'))).toBe(`${firstMs}-2`);
    host.setWallSkew(60_000);
    const ahead = Number(bulkText(client.call('XADD', 's', '*', 'f', 'v')).split('-')[0]);
    expect(ahead).toBeGreaterThanOrEqual(before + 60_000);
  });

  it('times out a blocked XREAD at the virtual time asked for', () => {
    const { world, open, blockedBecomes } = setup();
    const reader = open();
    const start = world.now();
    reader.send(encodeCommand(['XREAD', 'BLOCK', '250', 'STREAMS', 's', '$']));
    blockedBecomes(1);
    const [reply] = reader.read(1, 1000);
    expect(reply?.bytes.toString('latin1')).toBe('*-1\r\n');
    const elapsed = world.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(300);
  });

  it('serves a blocked XREADGROUP from an XADD and propagates the XADD, then the XCLAIM', () => {
    const { open, blockedBecomes, stream } = setup();
    const reader = open();
    const writer = open();
    expect(writer.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM')).toBe('+OK\r\n');
    reader.send(
      encodeCommand(['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>']),
    );
    blockedBecomes(1);
    // An entry that is not new for the group leaves the reader blocked.
    expect(writer.call('XGROUP', 'SETID', 's', 'g', '5-0')).toBe('+OK\r\n');
    expect(writer.call('XADD', 's', '3-0', 'f', 'old')).toBe('$3\r\n3-0\r\n');
    blockedBecomes(1);
    expect(writer.call('XADD', 's', '7-0', 'f', 'new')).toBe('$3\r\n7-0\r\n');
    blockedBecomes(0);
    const [reply] = reader.read(1);
    expect(reply?.bytes.toString('latin1')).toBe(
      '*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\nf\r\n$3\r\nnew\r\n',
    );
    const tail = stream.slice(-2);
    expect(tail[0]).toBe('XADD s 7-0 f new');
    expect(tail[1]).toMatch(/^XCLAIM s g c 0 7-0 TIME \d+ RETRYCOUNT 1 FORCE JUSTID LASTID 7-0$/);
  });
});
