/**
 * Picks a TCP port the operating system considers free on 127.0.0.1: listen on port 0, read the
 * port the kernel chose, close. Another process may take the port before the caller binds it, so
 * callers that spawn a server on it retry on "address in use" (see redis-server.ts).
 */
import { createServer } from 'node:net';

export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port from listen(0)'))));
    });
  });
}
