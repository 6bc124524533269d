/**
 * Protected mode on a simulated node (protected-mode.ts). Goal: with Redis's defaults (protected-mode
 * yes, no password) a client from another host is refused with Redis 7.0's exact -DENIED reply and
 * closed, even though the node is bound to 0.0.0.0 explicitly (7.0 has no bind exemption), so it
 * cannot run CONFIG SET protected-mode no or FLUSHALL; a loopback client on the node's host is
 * served and may switch protected mode off; a password lets remote clients in to authenticate.
 * Method: startSimServer turns protected mode off for ordinary tests; these turn it back on with
 * `--protected-mode yes`, connect from 10.0.0.2 and from the server host's 127.0.0.1, and read the
 * bytes each gets. The -DENIED text was taken from redis-server 7.0.15 itself.
 */
import { describe, expect, it } from 'vitest';
import { PROTECTED_MODE_DENIED } from './protected-mode.js';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

const DENIED = PROTECTED_MODE_DENIED.toString('latin1');

function protectedServer(seed: number, options: readonly string[] = []) {
  const server = startSimServer({ seed, options: ['--protected-mode', 'yes', ...options] });
  return { ...server, remoteHost: server.world.addHost('remote', '10.0.0.2') };
}

/** Sends one command and returns everything the server sent before it closed the connection. */
function refused(client: SimClient, ...argv: string[]): string {
  client.pipeline([argv]);
  expect(client.waitClosed(2000)).toBe(true);
  return client
    .unread()
    .map((reply) => reply.bytes.toString('latin1'))
    .join('');
}

describe('protected mode', () => {
  it('refuses a remote client with the -DENIED reply and closes it; nothing it sends runs', () => {
    const { world, host, node, remoteHost } = protectedServer(1);
    const local = SimClient.open(world, host, '127.0.0.1');
    expect(local.call('SET', 'k', 'v')).toBe('+OK\r\n');
    const remote = SimClient.open(world, remoteHost);
    expect(refused(remote, 'FLUSHALL')).toBe(DENIED);
    expect(
      refused(SimClient.open(world, remoteHost), 'CONFIG', 'SET', 'protected-mode', 'no'),
    ).toBe(DENIED);
    expect(node.config.protectedMode).toBe(true);
    expect(local.call('GET', 'k')).toBe('$1\r\nv\r\n');
    const stats = local.call('INFO', 'stats');
    expect(stats).toContain('\r\nrejected_connections:2\r\n');
    // Redis counts a refused connection as rejected only, not as received.
    expect(stats).toContain('\r\ntotal_connections_received:1\r\n');
  });

  it('a loopback client may turn it off; then remote clients are served', () => {
    const { world, host, remoteHost } = protectedServer(2);
    const local = SimClient.open(world, host, '127.0.0.1');
    expect(local.call('CONFIG', 'SET', 'protected-mode', 'no')).toBe('+OK\r\n');
    expect(SimClient.open(world, remoteHost).call('PING')).toBe('+PONG\r\n');
  });

  it('does not apply when a password is set: the remote client must authenticate', () => {
    const { world, remoteHost } = protectedServer(3, ['--requirepass', 'secret']);
    const remote = SimClient.open(world, remoteHost);
    expect(remote.call('PING')).toBe('-NOAUTH Authentication required.\r\n');
    expect(remote.call('AUTH', 'secret')).toBe('+OK\r\n');
    expect(remote.call('PING')).toBe('+PONG\r\n');
  });

  it('does not apply once ACL SETUSER gives the default user a password (its nopass flag goes)', () => {
    const { world, host, remoteHost } = protectedServer(4);
    const local = SimClient.open(world, host, '127.0.0.1');
    expect(local.call('ACL', 'SETUSER', 'default', '>secret')).toBe('+OK\r\n');
    const remote = SimClient.open(world, remoteHost);
    expect(remote.call('PING')).toBe('-NOAUTH Authentication required.\r\n');
    expect(remote.call('AUTH', 'secret')).toBe('+OK\r\n');
    expect(local.call('ACL', 'SETUSER', 'default', 'nopass')).toBe('+OK\r\n');
    expect(refused(SimClient.open(world, remoteHost), 'PING')).toBe(DENIED);
  });
});
