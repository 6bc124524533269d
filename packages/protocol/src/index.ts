/**
 * @replisim/protocol: the pure codecs shared by server, replica and harness. No IO, no clocks, no
 * randomness: bytes in, values out, so the same code runs over real sockets and the simulator.
 *
 * - resp/   RESP2/RESP3: the server's request parser and reply writer, the client's decoder and
 *           encoder (see resp/index.ts for the file map)
 * - rdb/    the RDB snapshot format as Redis 7.0 writes and loads it: writer, streaming reader,
 *           DUMP payloads, redis-check-rdb style checks (see rdb/index.ts for the file map)
 *
 * Dependencies point one way: base <- protocol <- replica <- server <- harness.
 */
export * from './rdb/index.js';
export * from './resp/index.js';
