/**
 * The link against a fake host and a scripted fake master on the simulated network. Each test
 * scripts what the master answers and checks what the link sent and what it asked the host to do:
 * the handshake's order, both payload framings, the offsets around MULTI and GETACK, the cached
 * PSYNC after a drop, the -NOMASTERLINK retry, the SYNC fallback, repl-timeout, and a +CONTINUE
 * to PSYNC ? -1 refused.
 */
import { type SimHost, SimWorld } from '@replisim/base';
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { ReplicaLink } from './link.js';
import type { InstallResult, PsyncPosition, ReplicaHost, ReplicaSettings } from './replica-host.js';
import { FakeMaster, handshakeResponder } from './testing/fake-master.js';

const MASTER_ADDRESS = '10.0.0.1';
const MASTER_PORT = 6379;
const REPLID_A = 'a'.repeat(40);
const REPLID_B = 'b'.repeat(40);
const MARK = 'm'.repeat(40);
const PAYLOAD = Buffer.from('REDIS0010-not-really-an-rdb-but-the-link-does-not-care');

/** What the host was asked to do, in order. */
class FakeHost implements ReplicaHost {
  readonly env: SimHost['env'];
  readonly calls: string[] = [];
  readonly appliedBytes: Buffer[] = [];
  readonly installedPayloads: Buffer[] = [];
  position: PsyncPosition | undefined;
  settingsOverride: Partial<ReplicaSettings> = {};
  private readonly simHost: SimHost;
  private fullSync: { replid: string | undefined; offset: number } | undefined;

  constructor(simHost: SimHost) {
    this.simHost = simHost;
    this.env = simHost.env;
  }

  readonly logs: string[] = [];

  log(_level: string, message: string): void {
    this.logs.push(message);
  }

  settings(): ReplicaSettings {
    return {
      masterauth: '',
      masteruser: '',
      listeningPort: 7000,
      announceIp: '',
      replTimeoutMs: 60_000,
      dir: '/data',
      pid: 99,
      ...this.settingsOverride,
    };
  }

  psyncPosition(): PsyncPosition | undefined {
    return this.position;
  }

  fullSyncStarting(replid: string | undefined, offset: number): void {
    this.calls.push(`fullSyncStarting ${replid} ${offset}`);
    this.position = undefined;
    this.fullSync = { replid, offset };
  }

  disklessLoad(): undefined {
    return undefined;
  }

  installSnapshot(tempPath: string, done: (result: InstallResult) => void): void {
    this.calls.push(`installSnapshot ${tempPath.replace(/temp-\d+/, 'temp-T')}`);
    this.installedPayloads.push(Buffer.from(this.simHost.disk.readFileSync(tempPath) ?? []));
    const sync = this.fullSync;
    this.position = { replid: sync?.replid ?? '?', offset: sync?.offset ?? -1 };
    this.env.timers.after(1, () => done({ ok: true }));
  }

  continued(newReplid: string | undefined): void {
    this.calls.push(`continued ${newReplid}`);
    if (newReplid !== undefined && this.position !== undefined) {
      this.position = { ...this.position, replid: newReplid };
    }
  }

  /** While true, apply() postpones every command, as a CLIENT PAUSE on the replica would. */
  holding = false;

  apply(argv: readonly Buffer[]): boolean {
    if (this.holding) return false;
    this.calls.push(`apply ${argv.map((arg) => arg.toString()).join(' ')}`);
    return true;
  }

  applied(bytes: Buffer): void {
    this.appliedBytes.push(Buffer.from(bytes));
    if (this.position !== undefined) {
      this.position = { ...this.position, offset: this.position.offset + bytes.length };
    }
  }

  masterLost(cacheable: boolean): void {
    this.calls.push(cacheable ? 'masterLost' : 'masterLost uncached');
    if (!cacheable) this.position = undefined;
  }
}

function setup(seed = 1): {
  world: SimWorld;
  host: FakeHost;
  master: FakeMaster;
  link: ReplicaLink;
} {
  const world = new SimWorld({ seed });
  const masterHost = world.addHost('master', MASTER_ADDRESS);
  const replicaHost = world.addHost('replica', '10.0.0.2');
  replicaHost.disk.mkdirSync('/data');
  const master = new FakeMaster(masterHost, MASTER_PORT);
  const host = new FakeHost(replicaHost);
  const link = new ReplicaLink(host, MASTER_ADDRESS, MASTER_PORT);
  return { world, host, master, link };
}

const cmd = (...argv: string[]): Buffer => encodeCommand(argv);

describe('ReplicaLink handshake and full sync', () => {
  it('sends PING, the pipelined burst and PSYNC ? -1, then loads a $<len> payload and applies the stream after it', () => {
    const { world, host, master, link } = setup();
    host.settingsOverride = { masterauth: 'pw', masteruser: 'repl', announceIp: '1.2.3.4' };
    const stream = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'k', 'v')]);
    master.respond = handshakeResponder((_argv, connection) => {
      // The payload and the first stream bytes in one write: the link must split them.
      connection.write(
        Buffer.concat([
          Buffer.from(`+FULLRESYNC ${REPLID_A} 100\r\n$${PAYLOAD.length}\r\n`),
          PAYLOAD,
          stream,
        ]),
      );
    });
    link.start();
    expect(link.status().state).toBe('connecting');
    world.runUntilTrue(() => link.connected && host.appliedBytes.length > 0, 5000);
    expect(master.commands()).toEqual([
      ['PING'],
      ['AUTH', 'repl', 'pw'],
      ['REPLCONF', 'listening-port', '7000'],
      ['REPLCONF', 'ip-address', '1.2.3.4'],
      ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'],
      ['PSYNC', '?', '-1'],
    ]);
    expect(host.installedPayloads).toEqual([PAYLOAD]);
    expect(host.calls).toEqual([
      `fullSyncStarting ${REPLID_A} 100`,
      'installSnapshot /data/temp-T.99.rdb',
      'apply SELECT 0',
      'apply SET k v',
    ]);
    expect(Buffer.concat(host.appliedBytes)).toEqual(stream);
    const status = link.status();
    expect(status.state).toBe('connected');
    expect(status.linkUp).toBe(true);
    expect(status.replOffset).toBe(100 + stream.length);
    expect(status.readReplOffset).toBe(100 + stream.length);
    // The periodic ACK reports the applied offset.
    world.runFor(1500);
    expect(master.acks().at(-1)).toBe(100 + stream.length);
  });

  it('receives a $EOF:<mark> payload cut into pieces, keeps the mark out of the file, and ACKs at once', () => {
    const { world, host, master, link } = setup(2);
    master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID_A} 0\r\n$EOF:${MARK}\r\n`));
      const body = Buffer.concat([PAYLOAD, Buffer.from(MARK)]);
      for (let i = 0; i < body.length; i += 7) connection.write(body.subarray(i, i + 7));
    });
    link.start();
    world.runUntilTrue(() => link.connected, 5000);
    expect(host.installedPayloads).toEqual([PAYLOAD]);
    world.runFor(10);
    // The master holds the stream after a diskless sync until this first ACK (§3.3).
    expect(master.acks()[0]).toBe(0);
  });

  it('retries -NOMASTERLINK a second later and falls back to SYNC on another -ERR', () => {
    const { world, host, master, link } = setup(3);
    let psyncs = 0;
    master.respond = handshakeResponder((argv, connection) => {
      if (argv[0] === 'SYNC') {
        connection.write(Buffer.concat([Buffer.from(`$${PAYLOAD.length}\r\n`), PAYLOAD]));
        return;
      }
      psyncs++;
      connection.write(
        Buffer.from(
          psyncs === 1
            ? "-NOMASTERLINK Can't SYNC while not connected with my master\r\n"
            : '-ERR unknown command\r\n',
        ),
      );
    });
    link.start();
    world.runUntilTrue(() => link.connected, 5000);
    expect(psyncs).toBe(2);
    expect(master.connections.length).toBe(2);
    expect(master.commands().at(-1)).toEqual(['SYNC']);
    expect(host.calls[0]).toBe('fullSyncStarting undefined -1');
    // A PRE_PSYNC link sends no ACKs.
    world.runFor(2500);
    expect(master.acks()).toEqual([]);
  });

  it('drops the link on a preamble that is not $ and reconnects', () => {
    const { world, master, link } = setup(4);
    master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID_A} 0\r\nhello\r\n`));
    });
    link.start();
    world.runUntilTrue(() => master.connections.length === 2, 5000);
    expect(link.connected).toBe(false);
  });
});

describe('ReplicaLink status', () => {
  it('reports the handshake, the transfer progress, and how long the link has been down', () => {
    const { world, master, link } = setup(9);
    expect(link.status().state).toBe('none');
    master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID_A} 0\r\n$${PAYLOAD.length}\r\n`));
      connection.write(PAYLOAD.subarray(0, 10));
    });
    link.start();
    world.runUntilTrue(() => link.status().transfer?.readBytes === 10, 5000);
    const during = link.status();
    expect(during.state).toBe('sync');
    expect(during.syncInProgress).toBe(true);
    expect(during.linkUp).toBe(false);
    expect(during.transfer?.totalBytes).toBe(PAYLOAD.length);
    expect(during.replOffset).toBe(1);
    expect(during.linkDownMsAgo).toBeUndefined();
    master.last.write(PAYLOAD.subarray(10));
    world.runUntilTrue(() => link.connected, 5000);
    expect(link.status().lastIoMsAgo).toBeGreaterThanOrEqual(0);
    master.respond = () => {};
    master.last.destroy();
    world.runFor(500);
    const down = link.status();
    expect(down.linkUp).toBe(false);
    expect(down.lastIoMsAgo).toBeUndefined();
    expect(down.linkDownMsAgo).toBeGreaterThanOrEqual(400);
    link.stop();
    expect(link.status().state).toBe('none');
  });
});

describe('ReplicaLink stream and offsets', () => {
  /** A link connected by +CONTINUE from offset 1000 of REPLID_A. */
  function continued(seed: number): ReturnType<typeof setup> {
    const parts = setup(seed);
    parts.host.position = { replid: REPLID_A, offset: 1000 };
    parts.master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+CONTINUE ${REPLID_A}\r\n`));
    });
    parts.link.start();
    parts.world.runUntilTrue(() => parts.link.connected, 5000);
    return parts;
  }

  it('PSYNCs from the cached position and continues', () => {
    const { master, host, link } = continued(5);
    expect(master.commands().at(-1)).toEqual(['PSYNC', REPLID_A, '1001']);
    expect(host.calls).toEqual([`continued ${REPLID_A}`]);
    expect(link.status().replOffset).toBe(1000);
  });

  it('counts a MULTI block only at its EXEC, and answers GETACK with the offset before it', () => {
    const { world, master, host, link } = continued(6);
    const multi = Buffer.concat([cmd('MULTI'), cmd('SET', 'a', '1'), cmd('INCR', 'b')]);
    master.last.write(multi);
    world.runFor(50);
    expect(link.status().replOffset).toBe(1000);
    expect(link.status().readReplOffset).toBe(1000 + multi.length);
    expect(host.appliedBytes).toEqual([]);
    const exec = cmd('EXEC');
    const getack = cmd('REPLCONF', 'GETACK', '*');
    master.last.write(Buffer.concat([exec, getack]));
    world.runFor(50);
    expect(host.appliedBytes).toEqual([Buffer.concat([multi, exec]), getack]);
    const afterExec = 1000 + multi.length + exec.length;
    expect(master.acks()).toContain(afterExec);
    expect(link.status().replOffset).toBe(afterExec + getack.length);
    world.runFor(1000);
    expect(master.acks().at(-1)).toBe(afterExec + getack.length);
  });

  it('holds the stream while the host postpones a command, then runs it and what came after', () => {
    const { world, master, host, link } = continued(7);
    host.holding = true;
    const set = cmd('SET', 'a', '1');
    const incr = cmd('INCR', 'b');
    master.last.write(Buffer.concat([set, incr]));
    world.runFor(50);
    // Read but not applied: the offset an ACK reports stays where the pause began.
    expect(link.status().readReplOffset).toBe(1000 + set.length + incr.length);
    expect(link.status().replOffset).toBe(1000);
    expect(host.calls.filter((call) => call.startsWith('apply'))).toEqual([]);
    world.runFor(1000);
    expect(master.acks().at(-1)).toBe(1000);
    host.holding = false;
    link.resumeStream();
    expect(host.calls.filter((call) => call.startsWith('apply'))).toEqual([
      'apply SET a 1',
      'apply INCR b',
    ]);
    expect(link.status().replOffset).toBe(1000 + set.length + incr.length);
    expect(host.appliedBytes).toEqual([set, incr]);
  });

  it('caches the master when the link drops, then PSYNCs from the applied offset and adopts a new id', () => {
    const { world, master, host, link } = continued(7);
    const set = cmd('SET', 'k', 'v');
    master.last.write(set);
    world.runFor(50);
    master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+CONTINUE ${REPLID_B}\r\n`));
    });
    master.last.destroy();
    world.runUntilTrue(() => master.connections.length === 2 && link.connected, 5000);
    expect(host.calls).toContain('masterLost');
    expect(master.commands().at(-1)).toEqual(['PSYNC', REPLID_A, String(1001 + set.length)]);
    expect(host.calls.at(-1)).toBe(`continued ${REPLID_B}`);
  });

  it('gives up on a silent master after repl-timeout and reconnects', () => {
    const { world, master, host, link } = continued(8);
    host.settingsOverride = { replTimeoutMs: 3000 };
    world.runFor(2500);
    expect(link.connected).toBe(true);
    world.runUntilTrue(() => master.connections.length === 2, 5000);
    expect(host.calls).toContain('masterLost');
  });

  it('does not cache a master that broke the protocol: the next sync is a full one', () => {
    const { world, master, host, link } = continued(10);
    master.respond = handshakeResponder((_argv, connection) => {
      connection.write(Buffer.from(`+FULLRESYNC ${REPLID_A} 0\r\n$${PAYLOAD.length}\r\n`));
      connection.write(PAYLOAD);
    });
    master.last.write(Buffer.from('*1\r\n$x\r\n'));
    world.runUntilTrue(() => master.connections.length === 2 && link.connected, 5000);
    expect(host.calls).toContain('masterLost uncached');
    expect(master.commands().at(-1)).toEqual(['PSYNC', '?', '-1']);
  });
});

describe('a master that answers +CONTINUE to PSYNC ? -1', () => {
  it('is refused: the link drops, and the next attempt gets a full sync with SYNC', () => {
    const { world, host, master, link } = setup(7);
    master.respond = handshakeResponder((argv, connection) => {
      if (argv[0] === 'SYNC') {
        connection.write(Buffer.concat([Buffer.from(`$${PAYLOAD.length}\r\n`), PAYLOAD]));
        return;
      }
      connection.write(Buffer.from(`+CONTINUE ${REPLID_A}\r\n`));
    });
    link.start();
    expect(world.runUntilTrue(() => link.connected, 5000)).toBe(true);
    expect(master.psyncs()).toEqual([['PSYNC', '?', '-1']]);
    expect(master.connections.length).toBe(2);
    expect(master.commands().at(-1)).toEqual(['SYNC']);
    expect(host.calls.some((call) => call.startsWith('continued'))).toBe(false);
    expect(host.calls[0]).toBe('fullSyncStarting undefined -1');
    expect(host.installedPayloads).toEqual([PAYLOAD]);
    expect(
      host.logs.some((line) =>
        line.startsWith(
          `Master accepted a partial resynchronization (+CONTINUE ${REPLID_A}) of PSYNC ? -1, but there is no cached master`,
        ),
      ),
    ).toBe(true);
  });
});
