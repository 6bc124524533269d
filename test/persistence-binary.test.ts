/**
 * Persistence as an operator meets it through the replisim-server binary: signals and SHUTDOWN
 * save (or not) the way redis-server does, a restart loads the dump, a corrupt dump stops the start
 * with exit code 1 and is left untouched, and `replisim-server check-rdb` reports like
 * redis-check-rdb with the same exit codes.
 *
 * Method: spawn packages/server/bin/replisim-server.js (the compiled dist/: `npx tsc -b` first)
 * with a temp dir as `dir`; talk to it over a raw RESP connection; read its exit status, its log
 * (stdout) and the files in the dir. check-rdb is compared with the real redis-check-rdb on the
 * same good, bit-flipped and truncated dumps.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { logMessages } from './support/log-messages.js';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { runReplisimServer, spawnReplisimServer } from './support/replisim-binary.js';

const cleanups = new Cleanups();

function tempDir(): string {
  return cleanups.tempDir('replisim-persist-bin-');
}

afterAll(() => cleanups.run());

function serverArgs(dir: string, save: string): string[] {
  return ['--port', '0', '--bind', '127.0.0.1', '--dir', dir, '--save', save];
}

/** Starts the binary on `dir`, writes `keys` keys, and returns the running process. */
async function startWithKeys(dir: string, save: string, keys: number) {
  const server = await spawnReplisimServer(serverArgs(dir, save), { cwd: dir });
  const client = await RawClient.connect(server.port);
  for (let i = 0; i < keys; i++) {
    expect((await client.call('SET', `key:${i}`, `value:${i}`)).bytes.toString()).toBe('+OK\r\n');
  }
  return { server, client };
}

describe('signals', () => {
  it('SIGTERM with save rules saves the final snapshot, and the restart loads it', async () => {
    const dir = tempDir();
    const { server, client } = await startWithKeys(dir, '3600 1', 50);
    client.close();
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const log = logMessages(server.process.stdout());
    expect(log.slice(-5)).toEqual([
      'Received SIGTERM scheduling shutdown...',
      'User requested shutdown...',
      'Saving the final RDB snapshot before exiting.',
      'DB saved on disk',
      'Redis is now ready to exit, bye bye...',
    ]);
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);

    const again = await spawnReplisimServer(serverArgs(dir, '3600 1'), { cwd: dir });
    try {
      const reader = await RawClient.connect(again.port);
      expect((await reader.call('DBSIZE')).bytes.toString()).toBe(':50\r\n');
      expect((await reader.call('GET', 'key:7')).bytes.toString()).toBe('$7\r\nvalue:7\r\n');
      reader.close();
    } finally {
      expect(await again.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    const restartLog = logMessages(again.process.stdout());
    expect(restartLog).toContain('Done loading RDB, keys loaded: 50, keys expired: 0.');
    expect(restartLog.some((line) => /^DB loaded from disk: \d+\.\d{3} seconds$/.test(line))).toBe(
      true,
    );
  });

  it('SIGTERM with save "" exits without saving', async () => {
    const dir = tempDir();
    const { server, client } = await startWithKeys(dir, '', 5);
    client.close();
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false);
    expect(logMessages(server.process.stdout())).not.toContain(
      'Saving the final RDB snapshot before exiting.',
    );
  });
});

describe('SHUTDOWN', () => {
  it('SHUTDOWN SAVE saves without save rules, closes the connection and exits 0', async () => {
    const dir = tempDir();
    const { server, client } = await startWithKeys(dir, '', 3);
    client.command('SHUTDOWN', 'SAVE');
    const status = await server.process.exited();
    expect(status).toEqual({ code: 0, signal: null });
    await expect(client.read(1)).rejects.toThrow(/connection closed after 0 of 1/);
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(true);
  });

  it('SHUTDOWN NOSAVE exits 0 without saving despite save rules', async () => {
    const dir = tempDir();
    const { server, client } = await startWithKeys(dir, '3600 1', 3);
    client.command('SHUTDOWN', 'NOSAVE');
    expect(await server.process.exited()).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false);
  });
});

describe('a dump that cannot be loaded', () => {
  let goodDump: Buffer = Buffer.alloc(0);

  beforeAll(async () => {
    const dir = tempDir();
    const { server, client } = await startWithKeys(dir, '', 40);
    expect((await client.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    client.close();
    await server.stop('SIGTERM');
    goodDump = readFileSync(join(dir, 'dump.rdb'));
  });

  for (const [name, corrupt] of [
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length - 30)],
    [
      'bit-flipped',
      (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        copy[Math.floor(copy.length / 2)] = (copy[Math.floor(copy.length / 2)] ?? 0) ^ 0x04;
        return copy;
      },
    ],
  ] as const) {
    it(`a ${name} dump: exit 1, the reason logged, the file untouched`, async () => {
      const dir = tempDir();
      const bytes = corrupt(goodDump);
      writeFileSync(join(dir, 'dump.rdb'), bytes);
      const result = await runReplisimServer(serverArgs(dir, '3600 1'), {
        cwd: dir,
        timeoutMs: 10_000,
      });
      expect(result.code).toBe(1);
      const log = logMessages(result.stdout);
      expect(log.some((line) => line.startsWith('Internal error in RDB reading offset '))).toBe(
        true,
      );
      expect(log).not.toContain('Ready to accept connections tcp');
      expect(readFileSync(join(dir, 'dump.rdb'))).toEqual(bytes);
    });
  }
});

describe('check-rdb', () => {
  let dir = '';
  let good = '';

  beforeAll(async () => {
    dir = tempDir();
    const { server, client } = await startWithKeys(dir, '', 20);
    await client.call('SET', 'ttl', 'v', 'PX', '100000');
    expect((await client.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    client.close();
    await server.stop('SIGTERM');
    good = join(dir, 'dump.rdb');
    const bytes = readFileSync(good);
    writeFileSync(join(dir, 'truncated.rdb'), bytes.subarray(0, bytes.length - 25));
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 3] = (flipped[bytes.length - 3] ?? 0) ^ 0xff; // inside the CRC
    writeFileSync(join(dir, 'flipped.rdb'), flipped);
  });

  async function both(file: string) {
    const ours = await runReplisimServer(['check-rdb', file], { cwd: dir });
    const theirs = await runChild('redis-check-rdb', [file], { cwd: dir, timeoutMs: 10_000 });
    return { ours, theirs };
  }

  it('a sound dump: exit 0 and the same report as redis-check-rdb', async () => {
    const { ours, theirs } = await both(good);
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(0);
    expect(ours.stdout).toContain('\\o/ RDB looks OK! \\o/');
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('a bit-flipped CRC: exit 1 with RDB CRC error, as redis-check-rdb', async () => {
    const { ours, theirs } = await both('flipped.rdb');
    expect(theirs.code).toBe(1);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toContain('RDB CRC error');
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('a truncated dump: exit 1 with Unexpected EOF, as redis-check-rdb', async () => {
    const { ours, theirs } = await both('truncated.rdb');
    expect(theirs.code).toBe(1);
    expect(ours.code).toBe(1);
    expect(ours.stdout).toContain('Unexpected EOF reading RDB file');
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('no file or no argument: exit 1', async () => {
    expect((await runReplisimServer(['check-rdb', 'missing.rdb'], { cwd: dir })).code).toBe(1);
    const usage = await runReplisimServer(['check-rdb'], { cwd: dir });
    expect(usage.code).toBe(1);
    expect(usage.stdout).toContain('Usage: replisim-server check-rdb <rdb-file-name>');
  });
});
