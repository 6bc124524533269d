/**
 * The handshake's words and reply reading (reference §4.2-4.3), on their own: the replies Redis
 * sends a replica, including the ones a careless reader would misread.
 */
import { describe, expect, it } from 'vitest';
import {
  handshakeBurst,
  parsePreamble,
  parsePsyncReply,
  pingReplyAcceptable,
  psyncCommand,
} from './handshake.js';

const SETTINGS = {
  masterauth: '',
  masteruser: '',
  listeningPort: 6380,
  announceIp: '',
  replTimeoutMs: 60_000,
  dir: '.',
  pid: 1,
};
const ID = '0123456789abcdef0123456789abcdef01234567';

describe('handshake', () => {
  it('sends AUTH and ip-address only when configured, capa always', () => {
    expect(handshakeBurst(SETTINGS).bytes.toString()).toBe(
      '*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6380\r\n' +
        '*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n',
    );
    expect(handshakeBurst({ ...SETTINGS, masterauth: 'pw' }).steps).toEqual([
      'auth',
      'port',
      'capa',
    ]);
    expect(handshakeBurst({ ...SETTINGS, announceIp: '1.2.3.4' }).steps).toEqual([
      'port',
      'ip',
      'capa',
    ]);
  });

  it('asks PSYNC ? -1 without a cached master, else the byte after the last applied one', () => {
    expect(psyncCommand(undefined).toString()).toBe('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
    expect(psyncCommand({ replid: ID, offset: 867 }).toString()).toContain('$3\r\n868\r\n');
  });

  it('goes on after PING with +PONG or an auth error that AUTH will fix, not after others', () => {
    expect(pingReplyAcceptable('+PONG')).toBe(true);
    expect(pingReplyAcceptable('-NOAUTH Authentication required.')).toBe(true);
    expect(pingReplyAcceptable('-ERR operation not permitted')).toBe(true);
    expect(pingReplyAcceptable('-ERR unknown command')).toBe(false);
  });

  it('reads every PSYNC reply kind', () => {
    expect(parsePsyncReply('')).toEqual({ kind: 'keepalive' });
    expect(parsePsyncReply(`+FULLRESYNC ${ID} 14`)).toEqual({
      kind: 'fullresync',
      replid: ID,
      offset: 14,
    });
    expect(parsePsyncReply('+FULLRESYNC short 14').kind).toBe('bad');
    expect(parsePsyncReply(`+CONTINUE ${ID}`)).toEqual({ kind: 'continue', replid: ID });
    expect(parsePsyncReply('+CONTINUE')).toEqual({ kind: 'continue', replid: undefined });
    expect(parsePsyncReply('-LOADING Redis is loading the dataset in memory').kind).toBe(
      'retry-later',
    );
    expect(
      parsePsyncReply("-NOMASTERLINK Can't SYNC while not connected with my master").kind,
    ).toBe('retry-later');
    expect(parsePsyncReply('-ERR unknown command').kind).toBe('not-supported');
  });

  it('reads the payload preamble in both framings and refuses anything else', () => {
    expect(parsePreamble('$187')).toEqual({
      kind: 'payload',
      framing: { kind: 'length', bytes: 187 },
    });
    const mark = 'f'.repeat(40);
    expect(parsePreamble(`$EOF:${mark}`)).toEqual({
      kind: 'payload',
      framing: { kind: 'mark', mark: Buffer.from(mark) },
    });
    expect(parsePreamble('$EOF:short').kind).toBe('bad');
    expect(parsePreamble('$-1').kind).toBe('bad');
    expect(parsePreamble('')).toEqual({ kind: 'keepalive' });
    expect(parsePreamble("-ERR BGSAVE failed, replication can't continue").kind).toBe('error');
    expect(parsePreamble('+OK').kind).toBe('bad');
  });
});
