/**
 * DEBUG on a simulated node: who may run it (enable-debug-command), DEBUG SLEEP as a pause of the
 * whole node rather than a busy wait, and the replies of the other subcommands. Method: the client
 * host is 10.0.0.2, not loopback, so 'local' refuses it; SLEEP's effect is read off the virtual
 * clock: a second client's PING sent during the pause is answered only when the pause ends.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };
const REFUSED =
  '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n';

function open(policy: string) {
  const server = startSimServer({
    seed: 21,
    network: NETWORK,
    options: ['--enable-debug-command', policy],
  });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  return { ...server, client };
}

describe('DEBUG', () => {
  it('follows enable-debug-command: no and local refuse a remote client, yes allows it', () => {
    expect(open('no').client.call('DEBUG', 'DIGEST')).toBe(REFUSED);
    expect(open('local').client.call('DEBUG', 'DIGEST')).toBe(REFUSED);
    expect(open('yes').client.call('DEBUG', 'DIGEST')).toBe(
      '+0000000000000000000000000000000000000000\r\n',
    );
  });

  it("defaults to Redis's no: even a loopback client is refused until it is enabled", () => {
    const { world, host, node } = startSimServer({ seed: 22 });
    expect(node.config.enableDebugCommand).toBe('no');
    const local = SimClient.open(world, host, '127.0.0.1');
    expect(local.call('DEBUG', 'DIGEST')).toBe(REFUSED);
  });

  it('local allows a loopback client on the server host', () => {
    const { world, host } = open('local');
    const local = SimClient.open(world, host, '127.0.0.1');
    expect(local.call('DEBUG', 'DIGEST')).toBe('+0000000000000000000000000000000000000000\r\n');
  });

  it('SLEEP pauses the node: replies and other clients wait for the Env timer', () => {
    const { world, host, client } = open('yes');
    const other = SimClient.open(world, world.addHost('other', '10.0.0.3'));
    const startMs = world.now();
    client.pipeline([
      ['DEBUG', 'SLEEP', '0.5'],
      ['PING', 'after'],
    ]);
    world.runFor(100);
    other.pipeline([['PING']]);
    world.runFor(100);
    expect(client.unread()).toEqual([]);
    expect(other.unread()).toEqual([]);
    const replies = client.read(2, 1000).map((reply) => reply.bytes.toString());
    expect(replies).toEqual(['+OK\r\n', '$5\r\nafter\r\n']);
    expect(world.now() - startMs).toBeGreaterThanOrEqual(500);
    expect(other.read(1)[0]?.bytes.toString()).toBe('+PONG\r\n');
    expect(host.env.clock.monotonicMs() - startMs).toBeLessThan(600);
  });

  it('SLEEP with zero, junk or a negative time does not pause', () => {
    const { client } = open('yes');
    for (const seconds of ['0', 'abc', '-1']) {
      expect(client.call('DEBUG', 'SLEEP', seconds)).toBe('+OK\r\n');
    }
  });

  it('answers DIGEST-VALUE, OBJECT and argument errors as Redis 7.0 does', () => {
    const { client } = open('yes');
    client.call('SET', 'a', 'hello');
    expect(client.call('DEBUG', 'DIGEST-VALUE', 'a', 'missing')).toBe(
      '*2\r\n+36b23a1456b2dce2c3ed252c456761301dba8060\r\n+0000000000000000000000000000000000000000\r\n',
    );
    expect(client.call('DEBUG', 'DIGEST-VALUE')).toBe('*0\r\n');
    expect(client.call('DEBUG', 'OBJECT', 'a')).toMatch(
      /^\+Value at:0x7f[0-9a-f]{10} refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:0\r\n$/,
    );
    expect(client.call('DEBUG', 'OBJECT', 'missing')).toBe('-ERR no such key\r\n');
    expect(client.call('DEBUG', 'Digest', 'x')).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'Digest'. Try DEBUG HELP.\r\n",
    );
    expect(client.call('DEBUG')).toBe("-ERR wrong number of arguments for 'debug' command\r\n");
  });

  it('CHANGE-REPL-ID starts a new replication history and forgets the old one', () => {
    const { client, node } = open('yes');
    const before = node.repl.replid;
    expect(client.call('DEBUG', 'CHANGE-REPL-ID')).toBe('+OK\r\n');
    expect(node.repl.replid).not.toBe(before);
    expect(node.repl.replid).toMatch(/^[0-9a-f]{40}$/);
    expect(node.repl.replid2).toBe('0000000000000000000000000000000000000000');
    expect(client.call('DEBUG', 'CHANGE-REPL-ID', 'x')).toBe(
      "-ERR unknown subcommand or wrong number of arguments for 'CHANGE-REPL-ID'. Try DEBUG HELP.\r\n",
    );
  });
});
