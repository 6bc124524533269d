/**
 * A minimal RESP2 client for the benchmarks: node:net plus a small reply parser, so the benchmark
 * needs no client library and measures nothing but the server and one socket. Requests may be
 * pipelined; replies resolve in order. Replies come back as plain values: a status as a string, an
 * error as an Error (resolved, not thrown: an error reply is an answer), an integer as a number, a
 * bulk as a latin1 string (null for nil), an array as an array.
 */
import { connect } from 'node:net';

const CRLF = Buffer.from('\r\n');

/** `*<n>\r\n$<len>\r\n<arg>\r\n...` for string or Buffer arguments. */
export function encodeRequest(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'latin1');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `at`; returns { value, end } or undefined if the bytes are incomplete. */
function parseReply(buffer, at) {
  const lineEnd = buffer.indexOf(CRLF, at);
  if (lineEnd < 0) return undefined;
  const kind = buffer[at];
  const line = buffer.toString('latin1', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (kind) {
    case 0x2b: // '+'
      return { value: line, end: next };
    case 0x2d: // '-'
      return { value: new Error(line), end: next };
    case 0x3a: // ':'
      return { value: Number(line), end: next };
    case 0x24: {
      // '$'
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('latin1', next, next + length), end: next + length + 2 };
    }
    case 0x2a: {
      // '*'
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, end);
        if (item === undefined) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected reply byte 0x${kind?.toString(16)} at ${at}`);
  }
}

export class RespClient {
  #socket;
  #pending = [];
  #buffer = Buffer.alloc(0);
  #closedError;

  constructor(socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#onData(chunk));
    const fail = (error) => {
      this.#closedError ??= error ?? new Error('connection closed');
      for (const { reject } of this.#pending.splice(0)) reject(this.#closedError);
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  /** Connects to 127.0.0.1:port; rejects if nobody listens. */
  static connect(port) {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RespClient(socket));
      });
    });
  }

  /** Sends one command; resolves with its reply. */
  call(...args) {
    return this.send(encodeRequest(args));
  }

  /** Sends pre-encoded request bytes holding exactly one command. */
  send(request) {
    if (this.#closedError !== undefined) return Promise.reject(this.#closedError);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket.write(request);
    });
  }

  close() {
    this.#socket.destroy();
  }

  #onData(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let at = 0;
    while (at < this.#buffer.length) {
      const reply = parseReply(this.#buffer, at);
      if (reply === undefined) break;
      at = reply.end;
      this.#pending.shift()?.resolve(reply.value);
    }
    this.#buffer = at === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(at);
  }
}

/** INFO's `name:value` lines as a Map. */
export function parseInfo(text) {
  const fields = new Map();
  for (const line of String(text).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}
