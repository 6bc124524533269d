/**
 * A scripted master for replica tests on the simulated network (`@replisim/replica/testing`). It
 * listens on a SimHost, parses what the replica sends, records every command, and answers through
 * `respond`: by default the handshake as a Redis master answers it (+PONG, +OK for AUTH and
 * REPLCONF), with PSYNC and SYNC handed to `onPsync`, which the test scripts (+FULLRESYNC and a
 * payload, +CONTINUE, an error, or silence). A test that scripts the handshake itself replaces
 * `respond`.
 *
 * Both sides of the replica are tested against it: the link state machine alone against a fake
 * host (replica/src/link.test.ts) and a whole replisim node as a replica
 * (server/src/replication/replica-host.test.ts). It lives in the package, not in a test file, so
 * that the two suites drive the same master.
 */
import type { Connection, SimHost } from '@replisim/base';
import { RequestParser } from '@replisim/protocol';

/** Answers one command the replica sent, on the connection it came on. */
export type MasterResponder = (argv: string[], connection: Connection) => void;

/** Answers the handshake as Redis does; PSYNC and SYNC get `psync`; REPLCONF ACK gets nothing. */
export function handshakeResponder(psync: MasterResponder): MasterResponder {
  return (argv, connection) => {
    const name = argv[0];
    if (name === 'PING') connection.write(Buffer.from('+PONG\r\n'));
    else if (name === 'AUTH') connection.write(Buffer.from('+OK\r\n'));
    else if (name === 'REPLCONF' && argv[1] !== 'ACK') connection.write(Buffer.from('+OK\r\n'));
    else if (name === 'PSYNC' || name === 'SYNC') psync(argv, connection);
  };
}

export class FakeMaster {
  /** Every command received, in order, on any connection (REPLCONF ACKs included). */
  readonly received: string[][] = [];
  /** Every connection the replica opened, in order. */
  readonly connections: Connection[] = [];
  /** What PSYNC and SYNC get under the default `respond`. */
  onPsync: MasterResponder = () => {};
  /** Answers each command; replace it to script the handshake too. */
  respond: MasterResponder = handshakeResponder((argv, connection) =>
    this.onPsync(argv, connection),
  );

  constructor(host: SimHost, port = 6379) {
    host.env.network.listen(
      { host: '0.0.0.0', port },
      (connection) => {
        this.connections.push(connection);
        const parser = new RequestParser();
        connection.onData((chunk) => {
          parser.feed(chunk);
          for (;;) {
            const request = parser.next();
            if (request.kind !== 'command') break;
            const argv = request.argv.map((arg) => arg.toString('latin1'));
            this.received.push(argv);
            this.respond(argv, connection);
          }
        });
        connection.onClose(() => {});
      },
      () => {},
    );
  }

  /** The latest connection. */
  get last(): Connection {
    const connection = this.connections.at(-1);
    if (connection === undefined) throw new Error('no connection yet');
    return connection;
  }

  /** Commands received other than REPLCONF ACK (a replica sends one every second). */
  commands(): string[][] {
    return this.received.filter((argv) => !(argv[0] === 'REPLCONF' && argv[1] === 'ACK'));
  }

  /** The offsets of the REPLCONF ACKs received, in order. */
  acks(): number[] {
    return this.received
      .filter((argv) => argv[0] === 'REPLCONF' && argv[1] === 'ACK')
      .map((argv) => Number(argv[2]));
  }

  /** The PSYNC commands received, in order. */
  psyncs(): string[][] {
    return this.received.filter((argv) => argv[0] === 'PSYNC');
  }
}
