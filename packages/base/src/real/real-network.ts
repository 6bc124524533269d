/**
 * The real Network over node:net: listen and connect with operating errors as values.
 *
 * EADDRINUSE from listen and ECONNREFUSED from connect come back through `done`, never as thrown or
 * unhandled 'error' events. Sockets are created with Nagle off and `allowHalfOpen: false`, the close
 * semantics the simulator mirrors (sim-connection.ts).
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { Connection, Listener, ListenOptions, NetResult, Network } from '../env.js';
import { RealConnection, toNetError } from './real-connection.js';

/** The C library's wording for accept's descriptor errors, as Redis logs them. */
const ACCEPT_STRERROR: Readonly<Record<string, string>> = {
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
};

export function createRealNetwork(): Network {
  return { listen, connect };
}

function listen(
  options: ListenOptions,
  onConnection: (connection: Connection) => void,
  done: (result: NetResult<Listener>) => void,
): void {
  const server: Server = createServer({ noDelay: true, allowHalfOpen: false }, (socket: Socket) => {
    onConnection(new RealConnection(socket));
  });
  let listening = false;
  server.on('error', (error: NodeJS.ErrnoException) => {
    // Before listening this is the bind failing; afterwards it is an accept error (EMFILE when
    // libuv's reserve descriptor is gone too): the server keeps listening, the caller may log it.
    if (listening) {
      const strerror = error.code === undefined ? undefined : ACCEPT_STRERROR[error.code];
      options.onAcceptError?.({ code: 'EIO', message: strerror ?? error.message });
      return;
    }
    done({ ok: false, error: toNetError(error) });
  });
  server.listen(
    {
      host: options.host,
      port: options.port,
      ...(options.backlog === undefined ? {} : { backlog: options.backlog }),
    },
    () => {
      listening = true;
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      done({
        ok: true,
        value: {
          host: options.host,
          port,
          close: () => {
            server.close();
          },
        },
      });
    },
  );
}

function connect(host: string, port: number, done: (result: NetResult<Connection>) => void): void {
  const socket = netConnect({ host, port, noDelay: true, allowHalfOpen: false });
  const onError = (error: NodeJS.ErrnoException): void => {
    socket.destroy();
    done({ ok: false, error: toNetError(error) });
  };
  socket.once('error', onError);
  socket.once('connect', () => {
    socket.off('error', onError);
    done({ ok: true, value: new RealConnection(socket) });
  });
}
