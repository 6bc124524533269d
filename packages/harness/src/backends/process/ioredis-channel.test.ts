/**
 * The ioredis channel against a real redis-server: replies arrive as the harness's RespValues, an
 * error reply is `fail` in the history, and a command whose reply does not come in time (the
 * server is SIGSTOPped) is `info` with ioredis's timeout message, never `fail`. Skipped, saying
 * so, without redis-server on PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingClient } from '../../client/recording-client.js';
import { History } from '../../history/history.js';
import { IoredisChannel, respOf } from './ioredis-channel.js';
import { pickFreePort, ServerProcess } from './server-process.js';

function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'replisim-ioredis-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function open(port: number): Promise<IoredisChannel> {
  return new Promise((resolve, reject) => {
    const attempt = (left: number): void =>
      IoredisChannel.open(
        '127.0.0.1',
        port,
        (channel) => {
          if (channel !== undefined) resolve(channel);
          else if (left > 0) setTimeout(() => attempt(left - 1), 100);
          else reject(new Error('no connection'));
        },
        { commandTimeoutMs: 300 },
      );
    attempt(50);
  });
}

function op(client: RecordingClient, argv: string[]): Promise<unknown> {
  return new Promise((resolve) => client.op('write', argv, { key: argv[1] ?? '' }, resolve));
}

describe('respOf', () => {
  it('maps ioredis replies to RespValues', () => {
    expect(respOf(Buffer.from('OK'))).toEqual({ kind: 'bulk', value: Buffer.from('OK') });
    expect(respOf(3)).toEqual({ kind: 'integer', value: 3n });
    expect(respOf(null)).toEqual({ kind: 'null' });
    expect(respOf([Buffer.from('a'), null])).toEqual({
      kind: 'array',
      items: [{ kind: 'bulk', value: Buffer.from('a') }, { kind: 'null' }],
    });
  });
});

describe.skipIf(!hasRedis())('IoredisChannel on redis-server', () => {
  it('records ok, fail for an error reply, and info for a timeout', {
    timeout: 20_000,
  }, async () => {
    const port = await pickFreePort();
    const server = new ServerProcess(
      { file: 'redis-server', prefix: [] },
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
      dir,
      () => {},
      () => {},
    );
    servers.push(server);
    const channel = await open(port);
    const history = new History(() => 0);
    const client = new RecordingClient(1, 'n1', channel, history);
    await op(client, ['SET', 'k', 'v']);
    await op(client, ['INCR', 'k']);
    server.signal('SIGSTOP');
    await op(client, ['SET', 'k', 'w']);
    server.signal('SIGCONT');
    channel.close();
    expect(history.ops.filter((o) => o.type !== 'invoke').map((o) => o.type)).toEqual([
      'ok',
      'fail',
      'info',
    ]);
    expect(history.ops[3]?.error).toBe('ERR value is not an integer or out of range');
    expect(history.ops[5]?.error).toMatch(/^no reply: Command timed out/);
  });
});
