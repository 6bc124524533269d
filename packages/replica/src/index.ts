/**
 * @replisim/replica: the replica side of replication (the replication milestone fills it).
 *
 * It will hold the link state machine (connect -> handshake -> PSYNC -> transfer -> load -> stream ->
 * ACK) and declare the `ReplicaHost` interface the server implements, so this package never imports
 * server internals and can be tested against a fake host. It exists now so that the dependency
 * direction base <- protocol <- replica <- server <- harness is fixed from the start.
 */
export {};
