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
 *   offset, so the replica's stream loses a byte.
 */
export type TestBug =
  | 'replica-drops-del'
  | 'bgsave-not-point-in-time'
  | 'psync-resumes-one-byte-late';

export const TEST_BUGS: readonly TestBug[] = [
  'replica-drops-del',
  'bgsave-not-point-in-time',
  'psync-resumes-one-byte-late',
];
