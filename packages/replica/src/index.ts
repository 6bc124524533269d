/**
 * @replisim/replica: the replica side of replication. The link state machine (connect, handshake,
 * PSYNC, transfer, load, stream, ACK) talks to its node only through the ReplicaHost interface the
 * server implements, so it never imports server internals and can be tested against a fake host.
 *
 * - replica-host.ts  what the link needs from its node (ReplicaHost, ReplicaSettings)
 * - link.ts          ReplicaLink: the state machine from connect to the applied stream
 * - handshake.ts     the handshake's commands and how the master's reply lines are read
 * - payload.ts       a full-sync payload's framing ($<len> or $EOF:<mark>) and its sink
 * - temp-file-sink.ts the default sink: a temp file the host installs (repl-diskless-load disabled)
 * - stream.ts        the command stream with read_reploff / reploff and the applied bytes
 * - link-status.ts   what INFO replication and ROLE show about a replica's link
 */
export * from './handshake.js';
export * from './link.js';
export * from './link-status.js';
export * from './payload.js';
export * from './replica-host.js';
export * from './stream.js';
export * from './temp-file-sink.js';
