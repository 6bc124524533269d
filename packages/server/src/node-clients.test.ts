/**
 * Clients seeing and killing each other, in the simulator: CLIENT LIST and CLIENT INFO describe
 * every connection (id, address, name, db, last command, protocol), CLIENT KILL closes another
 * client by id, by address (the old form) or by type, skips the caller unless SKIPME no, and a
 * killed client's connection really closes while the others keep working.
 *
 * Method: a SimWorld with one server and two client hosts, so addresses differ; the test reads
 * ids and addresses back from the server rather than assuming them.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

function setup(seed: number) {
  const server = startSimServer({ seed });
  const hostA = server.world.addHost('client-a', '10.0.0.2');
  const hostB = server.world.addHost('client-b', '10.0.0.3');
  return {
    ...server,
    openA: () => SimClient.open(server.world, hostA),
    openB: () => SimClient.open(server.world, hostB),
  };
}

/** The integer of a `:n\r\n` reply. */
function integerOf(reply: string): number {
  const match = /^:(-?\d+)\r\n$/.exec(reply);
  if (match === null) throw new Error(`not an integer reply: ${JSON.stringify(reply)}`);
  return Number(match[1]);
}

/** CLIENT LIST lines as field maps. */
function clientList(client: SimClient): Map<string, string>[] {
  const reply = client.call('CLIENT', 'LIST');
  const body = reply.slice(reply.indexOf('\r\n') + 2, -2);
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map(
      (line) => new Map(line.split(' ').map((field) => field.split('=', 2) as [string, string])),
    );
}

describe('CLIENT LIST and INFO', () => {
  it('describe each connection', () => {
    const { openA, openB } = setup(1);
    const a = openA();
    const b = openB();
    expect(a.call('CLIENT', 'SETNAME', 'alpha')).toBe('+OK\r\n');
    expect(a.call('SELECT', '3')).toBe('+OK\r\n');
    b.call('HELLO', '3');
    b.call('GET', 'x');
    const entries = clientList(a);
    expect(entries).toHaveLength(2);
    const [first, second] = entries;
    expect(first?.get('id')).toBe(String(integerOf(a.call('CLIENT', 'ID'))));
    expect(first?.get('addr')).toMatch(/^10\.0\.0\.2:\d+$/);
    expect(first?.get('laddr')).toBe('10.0.0.1:6379');
    expect(first?.get('name')).toBe('alpha');
    expect(first?.get('db')).toBe('3');
    expect(first?.get('cmd')).toBe('client|list');
    expect(first?.get('resp')).toBe('2');
    expect(second?.get('addr')).toMatch(/^10\.0\.0\.3:\d+$/);
    expect(second?.get('cmd')).toBe('get');
    expect(second?.get('resp')).toBe('3');
    const info = b.call('CLIENT', 'INFO');
    expect(info.startsWith('=')).toBe(true);
    expect(info).toContain(`id=${second?.get('id')} addr=${second?.get('addr')} `);
  });
});

describe('CLIENT KILL', () => {
  it('closes another client by id; the caller and the rest keep working', () => {
    const { openA, openB, node } = setup(2);
    const victim = openA();
    const killer = openB();
    const bystander = openA();
    const victimId = integerOf(victim.call('CLIENT', 'ID'));
    expect(killer.call('CLIENT', 'KILL', 'ID', String(victimId))).toBe(':1\r\n');
    expect(victim.waitClosed()).toBe(true);
    expect(node.clients.has(victimId)).toBe(false);
    expect(killer.call('CLIENT', 'KILL', 'ID', String(victimId))).toBe(':0\r\n');
    expect(clientList(killer).map((entry) => entry.get('id'))).not.toContain(String(victimId));
    expect(bystander.call('PING')).toBe('+PONG\r\n');
  });

  it('kills by address with the old form, and refuses an unknown address', () => {
    const { openA, openB } = setup(3);
    const victim = openA();
    const killer = openB();
    const address = clientList(killer)
      .find((entry) => entry.get('addr')?.startsWith('10.0.0.2'))
      ?.get('addr');
    if (address === undefined) throw new Error('victim not listed');
    expect(killer.call('CLIENT', 'KILL', address)).toBe('+OK\r\n');
    expect(victim.waitClosed()).toBe(true);
    expect(killer.call('CLIENT', 'KILL', address)).toBe('-ERR No such client\r\n');
  });

  it('skips the caller by default; with SKIPME no the caller is closed after its reply', () => {
    const { openA, openB, node } = setup(4);
    const others = [openA(), openA()];
    const killer = openB();
    expect(killer.call('CLIENT', 'KILL', 'TYPE', 'normal')).toBe(':2\r\n');
    for (const other of others) expect(other.waitClosed()).toBe(true);
    expect(node.clients.size).toBe(1);
    const id = integerOf(killer.call('CLIENT', 'ID'));
    killer.pipeline([['CLIENT', 'KILL', 'ID', String(id), 'SKIPME', 'no'], ['PING']]);
    expect(killer.read(1)[0]?.bytes.toString()).toBe(':1\r\n');
    expect(killer.waitClosed()).toBe(true);
    expect(killer.unread()).toEqual([]);
    expect(node.clients.size).toBe(0);
  });
});
