/**
 * Waits until a server on 127.0.0.1:port answers PING: +PONG, or -NOAUTH from a server with
 * requirepass (it is up, it just wants a password). A refused connection, a reset or -LOADING mean
 * "not yet" and are retried every few milliseconds until the deadline.
 */
import { connect } from 'node:net';

const RETRY_MS = 20;

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n'))
        finish(received === '+PONG\r\n' || received.startsWith('-NOAUTH'));
    });
  });
}

/** Resolves once PING is answered; rejects after timeoutMs, or as soon as `gaveUp()` is true. */
export async function waitForPing(
  port: number,
  timeoutMs = 5000,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pingOnce(port)) return;
    if (gaveUp()) throw new Error(`server on port ${port} is gone`);
    if (Date.now() > deadline) throw new Error(`no PONG from port ${port} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
