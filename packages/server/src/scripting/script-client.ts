/**
 * The client a script's redis.call runs as (Redis's lua_client / script caller client): it has no
 * connection, its replies are read back by the script, and it never blocks. One per node, made
 * when first needed.
 */
import type { Connection } from '@replisim/base';
import { RequestParser } from '@replisim/protocol';
import { Client } from '../client.js';

/** A connection that goes nowhere: the script client's replies are taken, never written. */
const NO_CONNECTION: Connection = {
  localAddress: '',
  localPort: 0,
  remoteAddress: '',
  remotePort: 0,
  write: () => undefined,
  bufferedBytes: () => 0,
  pauseReading: () => undefined,
  resumeReading: () => undefined,
  end: () => undefined,
  destroy: () => undefined,
  onData: () => undefined,
  onClose: () => undefined,
};

export function createScriptClient(id: number, nowMs: number): Client {
  const client = new Client(id, NO_CONNECTION, new RequestParser(), nowMs, true);
  // Blocking commands run as their non-blocking forms (CLIENT_DENY_BLOCKING).
  client.denyBlocking = true;
  return client;
}
