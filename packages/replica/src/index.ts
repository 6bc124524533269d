/**
 * @replisim/replica: the replica side of replication. The link state machine (connect, handshake,
 * PSYNC, transfer, load, stream, ACK) talks to its node only through the ReplicaHost interface the
 * server implements, so it never imports server internals and can be tested against a fake host.
 *
 * - link-status.ts  what INFO replication and ROLE show about a replica's link
 */
export * from './link-status.js';
