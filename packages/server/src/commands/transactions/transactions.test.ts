/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH in the simulator, as Redis 7.0.15 behaves (every
 * expectation below was checked against redis-server 7.0.15 by hand; test/diff-transactions.test.ts
 * compares the same ground against it live).
 *
 * Method: a simulated server and raw clients; replies are compared as exact bytes. Time is the
 * simulator's, so expiry cases are exact: the test moves the clock past a deadline without any
 * command touching the key, then checks what EXEC says. Propagation is observed through
 * `node.propagation.subscribe`, as a replica or the AOF would see it.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { propagatedDuring } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';
import { defineCommand, NO_KEYS } from '../types.js';
import { queueCommand } from './transaction.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };
const NULL_ARRAY = '*-1\r\n';
const EXECABORT = '-EXECABORT Transaction discarded because of previous errors.\r\n';

function setup(seed: number, options: readonly string[] = []) {
  const server = startSimServer({ seed, network: NETWORK, options });
  const host = server.world.addHost('client', '10.0.0.2');
  const open = (): SimClient => SimClient.open(server.world, host);
  return { ...server, client: open(), open };
}

/** Sends every command in one write and returns the reply bytes, one string per reply. */
function run(client: SimClient, ...commands: (readonly string[])[]): string[] {
  client.pipeline(commands);
  return client.read(commands.length).map((reply) => reply.bytes.toString('latin1'));
}

const wire = (...commands: string[][]): string =>
  Buffer.concat(commands.map((argv) => encodeCommand(argv))).toString('latin1');

describe('MULTI and EXEC', () => {
  it('queues commands and replies their replies as one array', () => {
    const { client } = setup(1);
    expect(
      run(client, ['MULTI'], ['SET', 'k', 'v'], ['GET', 'k'], ['EXISTS', 'k', 'nokey'], ['EXEC']),
    ).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      '+QUEUED\r\n',
      '+QUEUED\r\n',
      '*3\r\n+OK\r\n$1\r\nv\r\n:1\r\n',
    ]);
    expect(run(client, ['MULTI'], ['EXEC'])).toEqual(['+OK\r\n', '*0\r\n']);
  });

  it('runs nothing before EXEC and nothing after DISCARD', () => {
    const { client, open } = setup(2);
    const other = open();
    expect(run(client, ['MULTI'], ['SET', 'k', 'v'])).toEqual(['+OK\r\n', '+QUEUED\r\n']);
    expect(other.call('EXISTS', 'k')).toBe(':0\r\n');
    expect(run(client, ['DISCARD'], ['EXISTS', 'k'])).toEqual(['+OK\r\n', ':0\r\n']);
  });

  it('answers misplaced transaction commands with Redis errors that do not abort', () => {
    const { client } = setup(3);
    expect(run(client, ['EXEC'], ['DISCARD'])).toEqual([
      '-ERR EXEC without MULTI\r\n',
      '-ERR DISCARD without MULTI\r\n',
    ]);
    expect(
      run(client, ['MULTI'], ['MULTI'], ['WATCH', 'k'], ['SET', 'k', '1'], ['EXEC'], ['GET', 'k']),
    ).toEqual([
      '+OK\r\n',
      '-ERR MULTI calls can not be nested\r\n',
      '-ERR WATCH inside MULTI is not allowed\r\n',
      '+QUEUED\r\n',
      '*1\r\n+OK\r\n',
      '$1\r\n1\r\n',
    ]);
  });

  it('aborts at EXEC after an unknown command or an arity error while queueing', () => {
    const { client } = setup(4);
    expect(run(client, ['MULTI'], ['SET', 'a', '1'], ['NOSUCH', 'x'], ['EXEC'])).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n",
      EXECABORT,
    ]);
    expect(run(client, ['MULTI'], ['SET', 'a'], ['SET', 'a', '2'], ['WATCH'], ['EXEC'])).toEqual([
      '+OK\r\n',
      "-ERR wrong number of arguments for 'set' command\r\n",
      '+QUEUED\r\n',
      "-ERR wrong number of arguments for 'watch' command\r\n",
      EXECABORT,
    ]);
    expect(run(client, ['EXISTS', 'a'])).toEqual([':0\r\n']);
  });

  it('turns a rejected EXEC into EXECABORT and ends the transaction, in MULTI or not', () => {
    const { client, open } = setup(5);
    const abort =
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n";
    expect(run(client, ['MULTI'], ['SET', 'a', '1'], ['EXEC', 'x'], ['EXEC'])).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      abort,
      '-ERR EXEC without MULTI\r\n',
    ]);
    // Outside MULTI it also forgets watched keys and the dirty flag.
    expect(run(client, ['WATCH', 'w'])).toEqual(['+OK\r\n']);
    expect(open().call('SET', 'w', 'changed')).toBe('+OK\r\n');
    expect(run(client, ['EXEC', 'x'], ['MULTI'], ['EXEC'])).toEqual([abort, '+OK\r\n', '*0\r\n']);
  });

  it('keeps errors of queued commands inside the EXEC array', () => {
    const { client } = setup(6);
    expect(
      run(
        client,
        ['MULTI'],
        ['SET', 'k', 'v', 'EX', 'soon'],
        ['SET', 'k', 'v', 'PX', '0'],
        ['SELECT', '99'],
        ['SET', 'k', 'ok'],
        ['EXEC'],
      ).at(-1),
    ).toBe(
      '*4\r\n-ERR value is not an integer or out of range\r\n' +
        "-ERR invalid expire time in 'set' command\r\n-ERR DB index is out of range\r\n+OK\r\n",
    );
  });

  it('lets SELECT inside the transaction move the client for the rest of it and after', () => {
    const { client } = setup(7);
    expect(
      run(client, ['MULTI'], ['SELECT', '1'], ['SET', 'a', '9'], ['EXEC'], ['GET', 'a']).slice(3),
    ).toEqual(['*2\r\n+OK\r\n+OK\r\n', '$1\r\n9\r\n']);
    expect(run(client, ['SELECT', '0'], ['EXISTS', 'a'])).toEqual(['+OK\r\n', ':0\r\n']);
  });

  it('copies queued arguments out of the read buffer', () => {
    const { client } = setup(8);
    const commands: string[][] = [['MULTI']];
    for (let i = 0; i < 50; i++) commands.push(['SET', `key${i}`, `value-${i}-${'x'.repeat(i)}`]);
    commands.push(['EXEC']);
    client.pipeline(commands);
    client.read(commands.length);
    for (let i = 0; i < 50; i += 7) {
      const value = `value-${i}-${'x'.repeat(i)}`;
      expect(client.call('GET', `key${i}`)).toBe(`$${value.length}\r\n${value}\r\n`);
    }
  });

  it('QUIT inside MULTI closes the connection and runs nothing', () => {
    const { client, open } = setup(9);
    expect(run(client, ['MULTI'], ['SET', 'q', '1'], ['QUIT'])).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      '+OK\r\n',
    ]);
    expect(client.waitClosed()).toBe(true);
    expect(open().call('EXISTS', 'q')).toBe(':0\r\n');
  });

  it('runs blocking commands without blocking: a null at once when there is nothing', () => {
    const { client, node } = setup(24);
    expect(
      run(
        client,
        ['MULTI'],
        ['BLPOP', 'empty', '0'],
        ['BLMOVE', 'empty', 'd', 'LEFT', 'LEFT', '0'],
        ['RPUSH', 'l', 'x'],
        ['BRPOP', 'l', '0'],
        ['EXEC'],
      ).at(-1),
    ).toBe('*4\r\n*-1\r\n$-1\r\n:1\r\n*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
    expect(node.blocking.blockedCount).toBe(0);
    const [serverSide] = [...node.clients.values()];
    expect(serverSide?.denyBlocking).toBe(false);
  });

  it('refuses a no_multi command (SAVE, SYNC...) while queueing and aborts the transaction', () => {
    const { client, node } = setup(26);
    expect(run(client, ['MULTI'])).toEqual(['+OK\r\n']);
    const [serverSide] = [...node.clients.values()];
    if (serverSide === undefined) throw new Error('no client');
    const save = defineCommand<null>({
      name: 'save',
      arity: 1,
      syntax: '',
      flags: ['admin', 'noscript', 'no_multi'],
      aclCategories: [],
      keys: NO_KEYS,
      doc: { summary: '', since: '1.0.0', group: 'server', complexity: 'O(N)' },
      parse: () => null,
      execute: () => undefined,
    });
    queueCommand(node, serverSide, save, [Buffer.from('SAVE')]);
    expect(serverSide.reply.take()?.toString('latin1')).toBe(
      '-ERR Command not allowed inside a transaction\r\n',
    );
    expect(run(client, ['EXEC'])).toEqual([EXECABORT]);
  });

  it('replies EXECABORT for EXEC before AUTH when a password is set', () => {
    const { client } = setup(10, ['--requirepass', 'pw']);
    expect(run(client, ['EXEC'], ['MULTI'])).toEqual([
      '-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n',
      '-NOAUTH Authentication required.\r\n',
    ]);
  });
});

describe('WATCH', () => {
  it('fails EXEC with a null array when another client changed a watched key', () => {
    const { client, open } = setup(11);
    const other = open();
    expect(run(client, ['SET', 'k', '1'], ['WATCH', 'a', 'k'])).toEqual(['+OK\r\n', '+OK\r\n']);
    expect(other.call('SET', 'k', '2')).toBe('+OK\r\n');
    expect(run(client, ['MULTI'], ['SET', 'k', 'mine'], ['EXEC'], ['GET', 'k'])).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      NULL_ARRAY,
      '$1\r\n2\r\n',
    ]);
    // The failed EXEC unwatched everything: the same transaction now runs.
    expect(other.call('SET', 'k', '3')).toBe('+OK\r\n');
    expect(run(client, ['MULTI'], ['GET', 'k'], ['EXEC'])[2]).toBe('*1\r\n$1\r\n3\r\n');
  });

  it('replies RESP3 null for a dirty EXEC', () => {
    const { client } = setup(12);
    client.call('HELLO', '3');
    expect(run(client, ['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['EXEC'])).toEqual([
      '+OK\r\n',
      '+OK\r\n',
      '+OK\r\n',
      '_\r\n',
    ]);
  });

  it('runs EXEC when nothing changed, after UNWATCH, and ignores DELs of missing keys', () => {
    const { client, open } = setup(13);
    const other = open();
    expect(run(client, ['WATCH', 'k', 'missing'])).toEqual(['+OK\r\n']);
    expect(other.call('DEL', 'missing')).toBe(':0\r\n');
    expect(other.call('GET', 'k')).toBe('$-1\r\n');
    expect(run(client, ['MULTI'], ['PING'], ['EXEC'])[2]).toBe('*1\r\n+PONG\r\n');
    expect(run(client, ['WATCH', 'k'], ['SET', 'k', 'x'], ['UNWATCH'])).toEqual([
      '+OK\r\n',
      '+OK\r\n',
      '+OK\r\n',
    ]);
    expect(run(client, ['MULTI'], ['PING'], ['EXEC'])[2]).toBe('*1\r\n+PONG\r\n');
  });

  it('is dirtied by the client itself, and a dirty transaction stores no queued command', () => {
    const { client, open } = setup(14);
    expect(run(client, ['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['SET', 'k', '2'])).toEqual([
      '+OK\r\n',
      '+OK\r\n',
      '+OK\r\n',
      '+QUEUED\r\n',
    ]);
    // CLIENT INFO would be queued: look from another connection (the first line is this client).
    const info = open().call('CLIENT', 'LIST');
    expect(info).toContain(' flags=xd ');
    expect(info).toContain(' multi=0 ');
    expect(run(client, ['EXEC'], ['GET', 'k'])).toEqual([NULL_ARRAY, '$1\r\n1\r\n']);
  });

  it('is dirtied by FLUSHALL for keys that existed, not for missing ones', () => {
    const { client, open } = setup(15);
    const other = open();
    expect(run(client, ['WATCH', 'missing'])).toEqual(['+OK\r\n']);
    expect(other.call('FLUSHALL')).toBe('+OK\r\n');
    expect(run(client, ['MULTI'], ['EXEC'])[1]).toBe('*0\r\n');
    expect(run(client, ['SET', 'k', '1'], ['WATCH', 'k'])).toEqual(['+OK\r\n', '+OK\r\n']);
    expect(other.call('FLUSHALL')).toBe('+OK\r\n');
    expect(run(client, ['MULTI'], ['EXEC'])[1]).toBe(NULL_ARRAY);
  });

  it('counts a key that expired since WATCH as changed, even if nothing deleted it', () => {
    const { world, client } = setup(16);
    expect(run(client, ['SET', 'k', 'v', 'PX', '100'], ['WATCH', 'k'])).toEqual([
      '+OK\r\n',
      '+OK\r\n',
    ]);
    world.runFor(200);
    expect(run(client, ['MULTI'], ['PING'], ['EXEC'])[2]).toBe(NULL_ARRAY);
    // Lazily deleted between WATCH and EXEC: changed as well.
    expect(run(client, ['SET', 'k', 'v', 'PX', '100'], ['WATCH', 'k'])).toEqual([
      '+OK\r\n',
      '+OK\r\n',
    ]);
    world.runFor(200);
    expect(run(client, ['GET', 'k'], ['MULTI'], ['PING'], ['EXEC'])).toEqual([
      '$-1\r\n',
      '+OK\r\n',
      '+QUEUED\r\n',
      NULL_ARRAY,
    ]);
  });

  it('does not count a key already expired at WATCH, unless something else changes it', () => {
    const { world, client } = setup(17);
    const expiredWatch = (): void => {
      expect(run(client, ['SET', 'k', 'v', 'PX', '100'])).toEqual(['+OK\r\n']);
      world.runFor(200);
      expect(run(client, ['WATCH', 'k'])).toEqual(['+OK\r\n']);
    };
    expiredWatch();
    expect(run(client, ['MULTI'], ['PING'], ['EXEC'])[2]).toBe('*1\r\n+PONG\r\n');
    // Its lazy deletion after WATCH is no logical change either.
    expiredWatch();
    expect(run(client, ['GET', 'k'], ['MULTI'], ['PING'], ['EXEC'])[3]).toBe('*1\r\n+PONG\r\n');
    // But writing it is.
    expiredWatch();
    expect(run(client, ['SET', 'k', '1'], ['MULTI'], ['PING'], ['EXEC'])[3]).toBe(NULL_ARRAY);
    // A FLUSHALL that only removes the already-expired key is no change.
    expiredWatch();
    expect(run(client, ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'])[3]).toBe('*1\r\n+PONG\r\n');
  });

  it('forgets watched keys when the client disconnects', () => {
    const { world, node, open } = setup(18);
    const watcher = open();
    expect(watcher.call('WATCH', 'a', 'b')).toBe('+OK\r\n');
    const [serverSide] = [...node.clients.values()].slice(-1);
    expect(serverSide && node.watches.watchedCount(serverSide)).toBe(2);
    watcher.close();
    world.runFor(10);
    expect(serverSide && node.watches.watchedCount(serverSide)).toBe(0);
  });
});

describe('CLIENT LIST while in MULTI', () => {
  it('shows flags=x, the queue length as multi= and its memory as multi-mem=', () => {
    const { client } = setup(19);
    expect(run(client, ['CLIENT', 'INFO'])[0]).toContain(
      ' flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ',
    );
    run(client, ['MULTI'], ['GET', 's'], ['CLIENT', 'INFO']);
    const [reply] = run(client, ['EXEC']);
    // Inside EXEC the client is still in MULTI with two queued commands: GET s is 4 bytes and
    // CLIENT INFO 10, plus 8 per argument.
    expect(reply).toContain(' flags=x db=0 sub=0 psub=0 ssub=0 multi=2 ');
    expect(reply).toContain(' multi-mem=46 ');
    expect(reply).toContain(' cmd=exec ');
    expect(run(client, ['CLIENT', 'INFO'])[0]).toContain(' multi=-1 ');
  });
});

describe('COMMAND INFO', () => {
  it("shows Redis's flags and never replisim's no_propagate", () => {
    const { client } = setup(25);
    const [info = ''] = run(client, ['COMMAND', 'INFO', 'exec', 'watch']);
    expect(info).toContain(
      '$4\r\nexec\r\n:1\r\n*4\r\n+noscript\r\n+loading\r\n+stale\r\n+skip_slowlog\r\n',
    );
    expect(info).toContain('$5\r\nwatch\r\n:-2\r\n*5\r\n');
    expect(info).not.toContain('no_propagate');
  });
});

describe('EXEC and propagation', () => {
  it('wraps several changes in MULTI ... EXEC and sends one change alone', () => {
    const { node, client } = setup(20);
    expect(
      propagatedDuring(node, () =>
        run(client, ['MULTI'], ['SET', 'a', '1'], ['GET', 'a'], ['EXEC']),
      ),
    ).toBe(wire(['SELECT', '0'], ['SET', 'a', '1']));
    expect(
      propagatedDuring(node, () =>
        run(client, ['MULTI'], ['SET', 'a', '2'], ['SET', 'b', '3'], ['GET', 'a'], ['EXEC']),
      ),
    ).toBe(wire(['MULTI'], ['SET', 'a', '2'], ['SET', 'b', '3'], ['EXEC']));
    expect(propagatedDuring(node, () => run(client, ['MULTI'], ['GET', 'a'], ['EXEC']))).toBe('');
    expect(propagatedDuring(node, () => run(client, ['MULTI'], ['EXEC']))).toBe('');
  });

  it('selects the first change database before MULTI and switches inside the block', () => {
    const { node, client } = setup(21);
    const sent = propagatedDuring(node, () =>
      run(
        client,
        ['MULTI'],
        ['SELECT', '1'],
        ['SET', 'z', '1'],
        ['SELECT', '2'],
        ['SET', 'z', '2'],
        ['EXEC'],
        ['SELECT', '0'],
      ),
    );
    expect(sent).toBe(
      wire(
        ['SELECT', '1'],
        ['MULTI'],
        ['SET', 'z', '1'],
        ['SELECT', '2'],
        ['SET', 'z', '2'],
        ['EXEC'],
      ),
    );
  });

  it('gives every queued command the same instant', () => {
    const { node, host, client } = setup(22);
    const before = host.env.clock.wallMs();
    const sent = propagatedDuring(node, () =>
      run(
        client,
        ['MULTI'],
        ['SET', 'a', '1', 'PX', '100'],
        ['SET', 'b', '1', 'EX', '1'],
        ['EXEC'],
      ),
    );
    const deadlines = [...sent.matchAll(/PXAT\r\n\$\d+\r\n(\d+)\r\n/g)].map((m) => Number(m[1]));
    expect(deadlines).toHaveLength(2);
    const [first = 0, second = 0] = deadlines;
    expect(second - first).toBe(900);
    expect(first - 100).toBeGreaterThanOrEqual(before);
  });

  it('propagates a lazy-expiry DEL inside the same block', () => {
    const { node, world, client } = setup(23);
    run(client, ['SET', 'old', 'v', 'PX', '10']);
    world.runFor(50);
    const sent = propagatedDuring(node, () =>
      run(client, ['MULTI'], ['GET', 'old'], ['SET', 'new', '1'], ['EXEC']),
    );
    expect(sent).toBe(wire(['MULTI'], ['DEL', 'old'], ['SET', 'new', '1'], ['EXEC']));
  });
});
