/**
 * Deliberate bugs, for testing the testers. The chaos runner must catch a broken replisim, so the
 * tests switch one of these on in a simulated node and assert that the runner reports a violation
 * within a bounded number of seeds. They are reachable only through `NodeOptions.testBugs`, which
 * the binary never sets and no config directive, command or CLI flag can reach.
 *
 * - replica-drops-del: a replica applies every command of its master's stream except DEL (its
 *   offset still advances, so only the data shows it);
 * - bgsave-not-point-in-time: a BGSAVE does not preserve keys changed while it runs, so the dump
 *   mixes the dataset at its start with later writes;
 * - psync-resumes-one-byte-late: +CONTINUE sends the backlog from one byte past the requested
 *   offset, so the replica's stream loses a byte;
 * - replica-loses-multi-head: a replica skips the first command of every MULTI block from its
 *   master, as one whose PSYNC resumed inside a block would (its offset still advances). A replica
 *   that counted its offset inside MULTI would do this after a link lost mid-transaction; replisim
 *   counts it only at a boundary outside MULTI, as Redis 7.0 does (replica/stream.ts), and the
 *   simulated network rarely cuts a link inside one block, so this bug makes the loss certain.
 */
export type TestBug =
  | 'replica-drops-del'
  | 'bgsave-not-point-in-time'
  | 'psync-resumes-one-byte-late'
  | 'replica-loses-multi-head';

export const TEST_BUGS: readonly TestBug[] = [
  'replica-drops-del',
  'bgsave-not-point-in-time',
  'psync-resumes-one-byte-late',
  'replica-loses-multi-head',
];
