/**
 * Users from the config and from the ACL file, in the simulator: `user` lines applied at start,
 * config errors for bad `user` lines (with Redis 7.0.15's texts, including its quirk of quoting
 * the wrong word), `aclfile` loaded at start, ACL SAVE then ACL LOAD round trips through the
 * simulated disk, a bad file changes nothing, and `user` lines with `aclfile` refuse to start.
 *
 * Method: a SimWorld whose disk is planted before the node starts; replies checked as bytes.
 */
import { type SimHost, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ServerNode, type StartResult } from '../node.js';
import { SimClient } from '../testing/sim-client.js';
import { runUntil, SIM_SERVER_ADDRESS } from '../testing/sim-server.js';
import { parseAclFile } from './acl-file.js';

function boot(seed: number, options: string[], plant?: (host: SimHost) => void) {
  const world = new SimWorld({ seed });
  const host = world.addHost('server', SIM_SERVER_ADDRESS);
  plant?.(host);
  const loaded = loadConfig('', [
    '--port',
    '6379',
    '--bind',
    '0.0.0.0',
    '--protected-mode',
    'no',
    '--dir',
    '/',
    ...options,
  ]);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  const logs: string[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: (l) => logs.push(l),
    pid: 1,
  });
  let result: StartResult | undefined;
  node.start((r) => {
    result = r;
  });
  runUntil(world, () => result !== undefined, 1000);
  const clientHost = world.addHost('client', '10.0.0.2');
  return { world, host, node, logs, result, open: () => SimClient.open(world, clientHost) };
}

const LIST_BOB =
  '*2\r\n$38\r\nuser bob on nopass resetchannels -@all\r\n$34\r\nuser default on nopass ~* &* +@all\r\n';

describe('ACL users at start and in the ACL file', () => {
  it('applies `user` lines from the config at start', () => {
    const { open, result } = boot(1, [
      '--user',
      'bob',
      'on',
      'nopass',
      '--user',
      'default',
      'on',
      '>pw',
      '~*',
      '&*',
      '+@all',
    ]);
    expect(result?.ok).toBe(true);
    const client = open();
    expect(client.call('PING')).toBe('-NOAUTH Authentication required.\r\n');
    expect(client.call('AUTH', 'pw')).toBe('+OK\r\n');
    expect(client.call('ACL', 'USERS')).toBe('*2\r\n$3\r\nbob\r\n$7\r\ndefault\r\n');
  });

  it('refuses bad `user` lines as Redis 7.0.15 does', () => {
    const bad = loadConfig('', ['--user', 'bob', 'on', '#abc']);
    expect(bad.ok ? '' : bad.error.reason).toBe(
      "Error in user declaration 'bob': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
    );
    const twice = loadConfig('', ['--user', 'bob', 'on', '--user', 'bob', 'off']);
    expect(twice.ok ? '' : twice.error.reason).toBe(
      "Error in user declaration 'bob': Duplicate user found. A user can only be defined once in config files",
    );
    // Unknown commands wait until start (Redis defers them for modules), where they fail.
    expect(loadConfig('', ['--user', 'bob', '+nosuch']).ok).toBe(true);
  });

  it('loads the ACL file at start, and saves and reloads it', () => {
    const { open, host, result } = boot(2, ['--aclfile', 'users.acl'], (h) =>
      h.disk.writeFileSync(
        '/users.acl',
        Buffer.from('user bob on nopass\n\nuser default on nopass ~* &* +@all\n'),
      ),
    );
    expect(result?.ok).toBe(true);
    const client = open();
    expect(client.call('ACL', 'LIST')).toBe(LIST_BOB);
    expect(client.call('ACL', 'SETUSER', 'carol', 'on', '>pw', '~k*', '+get')).toBe('+OK\r\n');
    expect(client.call('ACL', 'SAVE')).toBe('+OK\r\n');
    const saved = Buffer.from(host.disk.readFileSync('/users.acl') ?? []).toString('latin1');
    expect(saved).toBe(
      'user bob on nopass resetchannels -@all\nuser carol on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~k* resetchannels -@all +get\nuser default on nopass ~* &* +@all\n',
    );
    // A connection authenticated as a user that ACL LOAD replaces is closed.
    const carol = open();
    expect(carol.call('AUTH', 'carol', 'pw')).toBe('+OK\r\n');
    expect(client.call('ACL', 'DELUSER', 'bob')).toBe(':1\r\n');
    expect(client.call('ACL', 'LOAD')).toBe('+OK\r\n');
    expect(client.call('ACL', 'USERS')).toBe('*3\r\n$3\r\nbob\r\n$5\r\ncarol\r\n$7\r\ndefault\r\n');
    expect(carol.waitClosed()).toBe(true);
  });

  it('changes nothing when the file has errors, and says why in Redis words', () => {
    const { open, host } = boot(3, ['--aclfile', '/users.acl'], (h) =>
      h.disk.writeFileSync('/users.acl', Buffer.from('user bob on nopass\n')),
    );
    host.disk.writeFileSync(
      '/users.acl',
      Buffer.from('user eve on #abc\nfoo\nuser bob on\nuser bob off\n'),
    );
    const client = open();
    expect(client.call('ACL', 'LOAD')).toBe(
      "-ERR /users.acl:1: The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters. /users.acl:2 should start with user keyword followed by the username. WARNING: Duplicate user 'bob' found on line 4. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n",
    );
    expect(client.call('ACL', 'USERS')).toBe('*2\r\n$3\r\nbob\r\n$7\r\ndefault\r\n');
  });

  it('refuses to start with both `user` lines and an aclfile, or with a missing file', () => {
    const both = boot(4, ['--aclfile', '/users.acl', '--user', 'bob', 'on'], (h) =>
      h.disk.writeFileSync('/users.acl', Buffer.from('')),
    );
    expect(both.result?.ok).toBe(false);
    expect(
      both.logs.some((l) => l.includes('please define either an ACL file or declare users')),
    ).toBe(true);
    const missing = boot(5, ['--aclfile', '/nofile.acl']);
    expect(missing.result?.ok).toBe(false);
    expect(
      missing.logs.some((l) =>
        l.includes(
          "Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '/nofile.acl': No such file or directory",
        ),
      ),
    ).toBe(true);
  });

  it('parses a file all or nothing (parseAclFile)', () => {
    const ok = parseAclFile('user a on\n  \nuser b (+get ~x) off\n', 'f');
    expect(ok.ok && [...ok.users.keys()]).toEqual(['a', 'b']);
    const bad = parseAclFile('user a (+get\n', 'f');
    expect(bad.ok ? '' : bad.errors).toBe(
      'f:1: Unmatched parenthesis in selector definition.WARNING: ACL errors detected, no change to the previously active ACL rules was performed',
    );
  });
});
