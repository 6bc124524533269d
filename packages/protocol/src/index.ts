/**
 * @replisim/protocol: the pure codecs shared by server, replica and harness. No IO, no clocks, no
 * randomness: bytes in, values out, so the same code runs over real sockets and the simulator.
 *
 * - resp/   RESP2/RESP3: the server's request parser and reply writer, the client's decoder and
 *           encoder (see resp/index.ts for the file map)
 * - rdb/    (later) the RDB snapshot format
 *
 * Dependencies point one way: base <- protocol <- replica <- server <- harness.
 */
export * from './resp/index.js';
