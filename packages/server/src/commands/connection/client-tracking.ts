/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP] |
 * CACHING YES|NO | GETREDIR | TRACKINGINFO
 *
 * The switches of client-side caching (tracking/tracking.ts). TRACKING parses every option
 * first (an unknown word, or REDIRECT / PREFIX without a value, is a syntax error; REDIRECT must
 * name a connected client, once), then checks them against each other and against the client's
 * current mode in Redis 7.0's order and words: PREFIX needs BCAST, BCAST cannot be switched while
 * on, BCAST excludes OPTIN/OPTOUT, OPTIN excludes OPTOUT, OPTIN/OPTOUT cannot be switched while
 * on, and no two prefixes of one client may overlap. ON again with other options changes the
 * options in place (a BCAST client keeps its earlier prefixes). OFF ignores the options it parsed.
 */
import type { Client } from '../../client.js';
import type { ServerNode } from '../../node.js';
import type { TrackingOptions } from '../../tracking/tracking.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const FLAGS = ['noscript', 'loading', 'stale'] as const;
const CONNECTION = ['@slow', '@connection'] as const;
const doc = (summary: string, since: string, complexity = 'O(1)') => ({
  summary,
  since,
  group: 'connection',
  complexity,
});

interface TrackingArgs {
  readonly on: boolean;
  readonly redirect: number;
  readonly options: TrackingOptions;
  readonly prefixes: string[];
}

/** The option words of CLIENT TRACKING, in argv order (clientCommand's parse loop). */
function parseTracking(argv: readonly Buffer[], node: ServerNode): TrackingArgs | ErrorReply {
  let redirect = 0n;
  const options = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const word = argv[j];
    const moreArgs = argv.length - 1 - j > 0;
    if (isKeyword(word, 'redirect') && moreArgs) {
      j++;
      if (redirect !== 0n) {
        return new ErrorReply('ERR A client can only redirect to a single other client');
      }
      const id = parseInt64(argv[j]);
      if (id === undefined) return NOT_INTEGER;
      redirect = id;
      if (id <= 0n || node.clients.get(Number(id)) === undefined) {
        return new ErrorReply('ERR The client ID you want redirect to does not exist');
      }
    } else if (isKeyword(word, 'bcast')) {
      options.bcast = true;
    } else if (isKeyword(word, 'optin')) {
      options.optin = true;
    } else if (isKeyword(word, 'optout')) {
      options.optout = true;
    } else if (isKeyword(word, 'noloop')) {
      options.noloop = true;
    } else if (isKeyword(word, 'prefix') && moreArgs) {
      j++;
      prefixes.push((argv[j] ?? Buffer.alloc(0)).toString('latin1'));
    } else {
      return SYNTAX_ERROR;
    }
  }
  const on = isKeyword(argv[2], 'on');
  if (!on && !isKeyword(argv[2], 'off')) return SYNTAX_ERROR;
  return { on, redirect: Number(redirect), options, prefixes };
}

/** The checks of CLIENT TRACKING ON, in Redis's order; undefined when the options may apply. */
function refuseTracking(node: ServerNode, client: Client, args: TrackingArgs): string | undefined {
  const { options, prefixes } = args;
  const state = client.tracking;
  if (!options.bcast && prefixes.length > 0) {
    return 'ERR PREFIX option requires BCAST mode to be enabled';
  }
  if (state.on && state.bcast !== options.bcast) {
    return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  if (options.bcast && (options.optin || options.optout)) {
    return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
  }
  if (options.optin && options.optout) {
    return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  }
  if ((options.optin && state.optout) || (options.optout && state.optin)) {
    return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  return options.bcast ? node.tracking.prefixCollision(state, prefixes) : undefined;
}

export const tracking: Command = defineCommand<TrackingArgs>({
  name: 'tracking',
  arity: -3,
  syntax:
    '(ON|OFF) [REDIRECT client-id:integer] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]',
  flags: FLAGS,
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc(
    'Enable or disable server assisted client side caching support',
    '6.0.0',
    'O(1). Some options may introduce additional complexity.',
  ),
  parse: (argv, ctx) => parseTracking(argv, ctx.node),
  execute(ctx, args) {
    const { node, client } = ctx;
    if (args.on) {
      const refused = refuseTracking(node, client, args);
      if (refused !== undefined) return new ErrorReply(refused);
      node.tracking.enable(client, args.redirect, args.options, args.prefixes);
    } else {
      node.tracking.disable(client);
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const caching: Command = defineCommand<'yes' | 'no' | undefined>({
  name: 'caching',
  arity: 3,
  syntax: '(YES|NO)',
  flags: FLAGS,
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Instruct the server about tracking or not keys in the next request', '6.0.0'),
  // The mode word is judged after the tracking check, as Redis does.
  parse: (argv) =>
    isKeyword(argv[2], 'yes') ? 'yes' : isKeyword(argv[2], 'no') ? 'no' : undefined,
  execute(ctx, mode) {
    const state = ctx.client.tracking;
    if (!state.on) {
      return new ErrorReply(
        'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
      );
    }
    if (mode === 'yes' && !state.optin) {
      return new ErrorReply(
        'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
      );
    }
    if (mode === 'no' && !state.optout) {
      return new ErrorReply(
        'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
      );
    }
    if (mode === undefined) return SYNTAX_ERROR;
    state.caching = true;
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const getredir: Command = defineCommand<null>({
  name: 'getredir',
  arity: 2,
  syntax: '',
  flags: FLAGS,
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc('Get tracking notifications redirection client ID if any', '6.0.0'),
  parse: () => null,
  execute(ctx) {
    const state = ctx.client.tracking;
    ctx.reply.integer(state.on ? state.redirect : -1);
    return undefined;
  },
});

export const trackinginfo: Command = defineCommand<null>({
  name: 'trackinginfo',
  arity: 2,
  syntax: '',
  flags: FLAGS,
  aclCategories: CONNECTION,
  keys: NO_KEYS,
  doc: doc(
    'Return information about server assisted client side caching for the current connection',
    '6.2.0',
  ),
  parse: () => null,
  execute(ctx) {
    const state = ctx.client.tracking;
    const flags = [state.on ? 'on' : 'off'];
    if (state.bcast) flags.push('bcast');
    if (state.optin) flags.push('optin');
    if (state.optin && state.caching) flags.push('caching-yes');
    if (state.optout) flags.push('optout');
    if (state.optout && state.caching) flags.push('caching-no');
    if (state.noloop) flags.push('noloop');
    if (state.brokenRedirect) flags.push('broken_redirect');
    const reply = ctx.reply;
    reply.mapHeader(3);
    reply.bulk('flags');
    reply.setHeader(flags.length);
    for (const flag of flags) reply.bulk(flag);
    reply.bulk('redirect');
    reply.integer(state.on ? state.redirect : -1);
    reply.bulk('prefixes');
    reply.arrayHeader(state.prefixes.length);
    for (const prefix of state.prefixes) reply.bulk(Buffer.from(prefix, 'latin1'));
    return undefined;
  },
});
