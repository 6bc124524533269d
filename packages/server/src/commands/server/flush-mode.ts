/**
 * The optional ASYNC|SYNC argument of FLUSHDB and FLUSHALL. replisim frees memory at once either
 * way (there is no lazy-free thread), which is observably the same to clients.
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import type { ErrorReply } from '../types.js';

export function parseFlushMode(argv: readonly Buffer[]): null | ErrorReply {
  if (argv.length === 1) return null;
  if (argv.length === 2 && (isKeyword(argv[1], 'async') || isKeyword(argv[1], 'sync'))) return null;
  return SYNTAX_ERROR;
}
