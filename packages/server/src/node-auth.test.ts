/**
 * Authentication with `requirepass`, in the simulator: NOAUTH before AUTH (for every command but
 * the no-auth ones), AUTH with one or two arguments, WRONGPASS, HELLO's own NOAUTH text, HELLO ...
 * AUTH (which authenticates, switches protocol and names the client at once), the tighter request
 * limits Redis applies before authentication, and CONFIG SET requirepass at run time.
 *
 * Method: a SimWorld; each case opens fresh simulated connections and checks reply bytes, which
 * the differential test (test/skeleton-diff.test.ts) holds to redis-server's for the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

const NOAUTH = '-NOAUTH Authentication required.\r\n';
const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
const HELLO_NOAUTH =
  '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';

function secured(seed: number) {
  const server = startSimServer({ seed, options: ['--requirepass', 'secret'] });
  const clientHost = server.world.addHost('client', '10.0.0.2');
  return { ...server, open: () => SimClient.open(server.world, clientHost) };
}

describe('requirepass', () => {
  it('answers NOAUTH until AUTH succeeds', () => {
    const { open } = secured(1);
    const client = open();
    expect(client.call('GET', 'k')).toBe(NOAUTH);
    expect(client.call('PING')).toBe(NOAUTH);
    expect(client.call('CLIENT', 'SETNAME', 'x')).toBe(NOAUTH);
    // Unknown commands and arity errors come first, as in processCommand.
    expect(client.call('NOSUCH')).toBe(
      "-ERR unknown command 'NOSUCH', with args beginning with: \r\n",
    );
    expect(client.call('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(client.call('AUTH', 'wrong')).toBe(WRONGPASS);
    expect(client.call('AUTH', 'nobody', 'secret')).toBe(WRONGPASS);
    expect(client.call('GET', 'k')).toBe(NOAUTH);
    expect(client.call('AUTH', 'secret')).toBe('+OK\r\n');
    expect(client.call('SET', 'k', 'v')).toBe('+OK\r\n');
    // A failed AUTH later does not log the client out (Redis 7.0 keeps it authenticated).
    expect(client.call('AUTH', 'wrong')).toBe(WRONGPASS);
    expect(client.call('GET', 'k')).toBe('$1\r\nv\r\n');
    const other = open();
    expect(other.call('AUTH', 'default', 'secret')).toBe('+OK\r\n');
    expect(other.call('GET', 'k')).toBe('$1\r\nv\r\n');
  });

  it('lets QUIT through before AUTH', () => {
    const { open } = secured(2);
    const client = open();
    expect(client.call('QUIT')).toBe('+OK\r\n');
    expect(client.waitClosed()).toBe(true);
  });

  it('HELLO needs authentication unless it carries AUTH, which also switches protocol and names', () => {
    const { open } = secured(3);
    const client = open();
    expect(client.call('HELLO', '3')).toBe(HELLO_NOAUTH);
    expect(client.call('HELLO')).toBe(HELLO_NOAUTH);
    expect(client.call('HELLO', '3', 'AUTH', 'default', 'wrong')).toBe(WRONGPASS);
    expect(client.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'bad name')).toBe(
      '-ERR Client names cannot contain spaces, newlines or special characters.\r\n',
    );
    expect(client.call('GET', 'k')).toBe(NOAUTH);
    const hello = client.call('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'app');
    expect(hello.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n')).toBe(true);
    expect(hello).toContain('$5\r\nproto\r\n:3\r\n');
    expect(client.call('GET', 'k')).toBe('_\r\n');
    expect(client.call('CLIENT', 'GETNAME')).toBe('$3\r\napp\r\n');
  });

  it('applies the unauthenticated request limits until AUTH, and lifts them after', () => {
    const { open } = secured(4);
    const tooMany = open();
    tooMany.send('*11\r\n');
    expect(tooMany.read(1)[0]?.bytes.toString()).toBe(
      '-ERR Protocol error: unauthenticated multibulk length\r\n',
    );
    expect(tooMany.waitClosed()).toBe(true);
    const tooLong = open();
    tooLong.send('*1\r\n$16385\r\n');
    expect(tooLong.read(1)[0]?.bytes.toString()).toBe(
      '-ERR Protocol error: unauthenticated bulk length\r\n',
    );
    expect(tooLong.waitClosed()).toBe(true);
    const client = open();
    expect(client.call('AUTH', 'secret')).toBe('+OK\r\n');
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    expect(client.call('EXISTS', ...keys)).toBe(':0\r\n');
    expect(client.call('ECHO', 'x'.repeat(20_000))).toBe(`$20000\r\n${'x'.repeat(20_000)}\r\n`);
  });

  it('CONFIG SET requirepass changes the password for new logins; sessions stay logged in', () => {
    const { open } = secured(5);
    const admin = open();
    expect(admin.call('AUTH', 'secret')).toBe('+OK\r\n');
    expect(admin.call('CONFIG', 'SET', 'requirepass', 'changed')).toBe('+OK\r\n');
    expect(admin.call('PING')).toBe('+PONG\r\n');
    const late = open();
    expect(late.call('AUTH', 'secret')).toBe(WRONGPASS);
    expect(late.call('AUTH', 'changed')).toBe('+OK\r\n');
    expect(admin.call('CONFIG', 'SET', 'requirepass', '')).toBe('+OK\r\n');
    const free = open();
    expect(free.call('PING')).toBe('+PONG\r\n');
    // Without a password, AUTH with one argument is the configuration mistake Redis points out.
    expect(free.call('AUTH', 'anything')).toBe(
      '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n',
    );
  });

  // Redis decides "authentication required" per command from the current password (authRequired()
  // in server.c), so clearing requirepass frees a connection that never authenticated, and setting
  // a password again locks it out again; dispatch.ts makes the same per-command decision.
  it('CONFIG SET requirepass "" frees a connection that had not authenticated', () => {
    const { open } = secured(6);
    const waiting = open();
    expect(waiting.call('GET', 'k')).toBe(NOAUTH);
    const admin = open();
    expect(admin.call('AUTH', 'secret')).toBe('+OK\r\n');
    expect(admin.call('CONFIG', 'SET', 'requirepass', '')).toBe('+OK\r\n');
    expect(waiting.call('GET', 'k')).toBe('$-1\r\n');
  });
});
