/**
 * The words of the replica's handshake (reference §4.2) and how to read the master's one-line
 * replies, as pure functions so the link (link.ts) stays a state machine and these rules are
 * tested on their own.
 */
import { encodeCommand } from '@replisim/protocol';
import { EOF_MARK_LENGTH, type PayloadFraming } from './payload.js';
import type { PsyncPosition, ReplicaSettings } from './replica-host.js';

/** Which reply of the pipelined burst a line answers, in the order they were sent. */
export type HandshakeStep = 'auth' | 'port' | 'ip' | 'capa';

/** The pipelined burst after PING: AUTH, REPLCONF listening-port, [ip-address], capa. */
export function handshakeBurst(settings: ReplicaSettings): {
  readonly bytes: Buffer;
  readonly steps: HandshakeStep[];
} {
  const parts: Buffer[] = [];
  const steps: HandshakeStep[] = [];
  if (settings.masterauth !== '') {
    const argv =
      settings.masteruser === ''
        ? ['AUTH', settings.masterauth]
        : ['AUTH', settings.masteruser, settings.masterauth];
    parts.push(encodeCommand(argv));
    steps.push('auth');
  }
  parts.push(encodeCommand(['REPLCONF', 'listening-port', String(settings.listeningPort)]));
  steps.push('port');
  if (settings.announceIp !== '') {
    parts.push(encodeCommand(['REPLCONF', 'ip-address', settings.announceIp]));
    steps.push('ip');
  }
  parts.push(encodeCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']));
  steps.push('capa');
  return { bytes: Buffer.concat(parts), steps };
}

/**
 * PSYNC <replid> <offset+1> from a cached master, else PSYNC ? -1 (a full sync); with FAILOVER
 * appended when a master hands over to this one (slaveTryPartialResynchronization).
 */
export function psyncCommand(position: PsyncPosition | undefined, failover = false): Buffer {
  const argv =
    position === undefined
      ? ['PSYNC', '?', '-1']
      : ['PSYNC', position.replid, String(position.offset + 1)];
  if (failover) argv.push('FAILOVER');
  return encodeCommand(argv);
}

/** PING's reply lets the handshake go on if it is +..., or an auth error AUTH will fix. */
export function pingReplyAcceptable(line: string): boolean {
  return (
    line.startsWith('+') ||
    line.startsWith('-NOAUTH') ||
    line.startsWith('-NOPERM') ||
    line.startsWith('-ERR operation not permitted')
  );
}

export type PsyncReply =
  | { readonly kind: 'keepalive' }
  | { readonly kind: 'fullresync'; readonly replid: string; readonly offset: number }
  | { readonly kind: 'continue'; readonly replid: string | undefined }
  | { readonly kind: 'retry-later'; readonly line: string }
  | { readonly kind: 'not-supported'; readonly line: string }
  | { readonly kind: 'bad'; readonly line: string };

/** slaveTryPartialResynchronization's read half. */
export function parsePsyncReply(line: string): PsyncReply {
  if (line === '') return { kind: 'keepalive' };
  if (line.startsWith('+FULLRESYNC')) {
    const match = /^\+FULLRESYNC ([0-9a-zA-Z]{40}) (-?\d+)$/.exec(line);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      return { kind: 'bad', line };
    }
    return { kind: 'fullresync', replid: match[1], offset: Number.parseInt(match[2], 10) };
  }
  if (line.startsWith('+CONTINUE')) {
    const id = line.slice('+CONTINUE'.length).trim();
    return { kind: 'continue', replid: id.length === 40 ? id : undefined };
  }
  if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
    return { kind: 'retry-later', line };
  }
  if (line.startsWith('-ERR')) return { kind: 'not-supported', line };
  return { kind: 'bad', line };
}

export type Preamble =
  | { readonly kind: 'keepalive' }
  | { readonly kind: 'error'; readonly line: string }
  | { readonly kind: 'payload'; readonly framing: PayloadFraming }
  | { readonly kind: 'bad'; readonly line: string };

/** The first line of the transfer: $<len>, $EOF:<mark>, a keepalive, or an error. */
export function parsePreamble(line: string): Preamble {
  if (line === '') return { kind: 'keepalive' };
  if (line.startsWith('-')) return { kind: 'error', line };
  if (!line.startsWith('$')) return { kind: 'bad', line };
  if (line.startsWith('$EOF:')) {
    const mark = line.slice(5);
    if (mark.length !== EOF_MARK_LENGTH) return { kind: 'bad', line };
    return { kind: 'payload', framing: { kind: 'mark', mark: Buffer.from(mark, 'latin1') } };
  }
  const bytes = Number(line.slice(1));
  if (!Number.isSafeInteger(bytes) || bytes < 0) return { kind: 'bad', line };
  return { kind: 'payload', framing: { kind: 'length', bytes } };
}
