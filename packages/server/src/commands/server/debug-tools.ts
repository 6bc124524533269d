/**
 * The DEBUG subcommands Redis's own test suite uses, beyond the dataset ones debug.ts keeps:
 * PROTOCOL (debug-protocol.ts), QUICKLIST-PACKED-THRESHOLD, LISTPACK and QUICKLIST
 * (debug-encoding.ts), ERROR, LOG, REPLICATE, SET-SKIP-CHECKSUM-VALIDATION, PAUSE-CRON,
 * STRINGMATCH-TEST, STRUCTSIZE, CONFIG-REWRITE-FORCE-ALL, and the ones accepted with no effect
 * (AOF-FLUSH-SLEEP, LEAK, DROP-CLUSTER-PACKET-FILTER, REPLYBUFFER) or refused as Redis refuses
 * them outside cluster mode (CLUSTERLINK KILL). debug.ts's module doc says what each does.
 */

import { globMatch } from '../../util/glob.js';
import { NOT_INTEGER } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { configRewrite, FORCE_ALL_NO_FILE } from './config-rewrite.js';
import {
  LISTPACK_PRINTED,
  listpackCheck,
  parsePackedThreshold,
  QUICKLIST_PRINTED,
  quicklistCheck,
} from './debug-encoding.js';
import { debugProtocol, type ProtocolType, parseProtocolType } from './debug-protocol.js';

/** STRINGMATCH-TEST's cycles (Redis runs 10 million; a bounded share keeps a node responsive). */
const STRINGMATCH_TEST_CYCLES = 10_000;
/** STRINGMATCH-TEST's longest string and pattern, as debug.c's 32-byte buffers. */
const STRINGMATCH_TEST_BYTES_MAX = 32;
const STRINGMATCH_PASSED = 'Apparently Redis did not crash: test passed';
const STRUCTSIZE_TEXT =
  'bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ';
export const NO_SUCH_KEY: ErrorReply = new ErrorReply('ERR no such key');
const NOT_CLUSTER = new ErrorReply(
  'ERR Debug option only available for cluster mode enabled setup!',
);

export type ToolDebugArgs =
  | { readonly kind: 'ok' }
  | { readonly kind: 'protocol'; readonly type: ProtocolType }
  | { readonly kind: 'packed-threshold'; readonly bytes: number }
  | { readonly kind: 'listpack' | 'quicklist'; readonly key: string }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'log'; readonly message: string }
  | { readonly kind: 'replicate'; readonly argv: readonly Buffer[] }
  | { readonly kind: 'skip-checksum' | 'pause-cron'; readonly on: boolean }
  | { readonly kind: 'stringmatch-test' }
  | { readonly kind: 'structsize' }
  | { readonly kind: 'config-rewrite-force-all' };

/** C's atoi: optional spaces and sign, then the leading digits; 0 when there are none. */
export function atoi(arg: Buffer | undefined): number {
  const match = /^\s*([+-]?[0-9]+)/.exec(arg?.toString('latin1') ?? '');
  return match === null ? 0 : Number.parseInt(match[1] ?? '0', 10);
}

/** C's strtol as getLongFromObjectOrReply reads it: the whole argument, an integer. */
function isLong(arg: Buffer | undefined): boolean {
  return /^-?(0|[1-9][0-9]{0,18})$/.test(arg?.toString('latin1') ?? '');
}

/** The subcommands of this file; undefined when `sub` is none of them. */
export function parseDebugTool(
  sub: string,
  argv: readonly Buffer[],
): ToolDebugArgs | ErrorReply | undefined {
  const argc = argv.length;
  const text = (i: number): string => (argv[i] ?? Buffer.alloc(0)).toString('latin1');
  if (sub === 'protocol' && argc === 3) {
    const type = parseProtocolType(argv[2]);
    return type instanceof ErrorReply ? type : { kind: 'protocol', type };
  }
  if (sub === 'quicklist-packed-threshold' && argc === 3) {
    const bytes = parsePackedThreshold(argv[2]);
    return bytes instanceof ErrorReply ? bytes : { kind: 'packed-threshold', bytes };
  }
  if (sub === 'listpack' && argc === 3) return { kind: 'listpack', key: keyOf(argv[2]) };
  if (sub === 'quicklist' && (argc === 3 || argc === 4)) {
    return { kind: 'quicklist', key: keyOf(argv[2]) };
  }
  if (sub === 'error' && argc === 3) return { kind: 'error', text: text(2) };
  if (sub === 'log' && argc === 3) return { kind: 'log', message: text(2) };
  if (sub === 'replicate' && argc >= 3) return { kind: 'replicate', argv: argv.slice(2) };
  if (sub === 'set-skip-checksum-validation' && argc === 3) {
    return { kind: 'skip-checksum', on: atoi(argv[2]) !== 0 };
  }
  if (sub === 'pause-cron' && argc === 3) return { kind: 'pause-cron', on: atoi(argv[2]) !== 0 };
  if (sub === 'stringmatch-test' && argc === 2) return { kind: 'stringmatch-test' };
  if (sub === 'structsize' && argc === 2) return { kind: 'structsize' };
  if (sub === 'config-rewrite-force-all' && argc === 2) return { kind: 'config-rewrite-force-all' };
  if ((sub === 'aof-flush-sleep' || sub === 'leak') && argc === 3) return { kind: 'ok' };
  if (sub === 'drop-cluster-packet-filter' && argc === 3) {
    return isLong(argv[2]) ? { kind: 'ok' } : NOT_INTEGER;
  }
  if (sub === 'replybuffer' && argc === 4) {
    const option = text(2).toLowerCase();
    if (option === 'resizing') return { kind: 'ok' };
    if (option === 'peak-reset-time') {
      const value = text(3).toLowerCase();
      return value === 'never' || value === 'reset' || isLong(argv[3])
        ? { kind: 'ok' }
        : NOT_INTEGER;
    }
    return undefined;
  }
  if (sub === 'clusterlink' && argc === 5 && text(2).toLowerCase() === 'kill') return NOT_CLUSTER;
  return undefined;
}

/** stringmatchlen_fuzz_test: random patterns against random strings, bytes below 128. */
function stringmatchTest(ctx: CommandContext): void {
  const random = ctx.node.env.random;
  const draw = (): string => {
    const length = random.int(STRINGMATCH_TEST_BYTES_MAX);
    let out = '';
    for (let j = 0; j < length; j++) out += String.fromCharCode(random.int(128));
    return out;
  };
  for (let cycle = 0; cycle < STRINGMATCH_TEST_CYCLES; cycle++) globMatch(draw(), draw());
  ctx.reply.simple(STRINGMATCH_PASSED);
}

/** LISTPACK and QUICKLIST: the key's check, then Redis's status (nothing is printed). */
function debugStructure(ctx: CommandContext, kind: 'listpack' | 'quicklist', key: string) {
  const value = ctx.db.peek(key);
  if (value === undefined) return NO_SUCH_KEY;
  const refused = kind === 'listpack' ? listpackCheck(value) : quicklistCheck(value);
  if (refused !== undefined) return refused;
  ctx.reply.simple(kind === 'listpack' ? LISTPACK_PRINTED : QUICKLIST_PRINTED);
  return undefined;
}

export function executeDebugTool(ctx: CommandContext, args: ToolDebugArgs): ErrorReply | undefined {
  const { node, reply } = ctx;
  switch (args.kind) {
    case 'protocol':
      return debugProtocol(reply, args.type);
    case 'packed-threshold':
      node.quicklistPackedThreshold = args.bytes;
      break;
    case 'listpack':
    case 'quicklist':
      return debugStructure(ctx, args.kind, args.key);
    case 'error':
      // addReplySds: a raw error line, so no error statistic counts it.
      reply.error(args.text.replace(/[\r\n]/g, ' '));
      return undefined;
    case 'log':
      node.log('warning', `DEBUG LOG: ${args.message}`);
      break;
    case 'replicate':
      node.propagation.add(node.propagation.lastSelectedDb(), args.argv);
      break;
    case 'skip-checksum':
      node.skipChecksumValidation = args.on;
      break;
    case 'pause-cron':
      node.cronPaused = args.on;
      break;
    case 'stringmatch-test':
      stringmatchTest(ctx);
      return undefined;
    case 'structsize':
      reply.bulk(STRUCTSIZE_TEXT);
      return undefined;
    case 'config-rewrite-force-all':
      if (node.config.configFile === '') return FORCE_ALL_NO_FILE;
      configRewrite(node, ctx.client, true);
      return undefined;
    case 'ok':
      break;
  }
  reply.simple('OK');
  return undefined;
}
