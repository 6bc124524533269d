/**
 * The search behind GEORADIUS, GEORADIUSBYMEMBER (and their _RO forms), GEOSEARCH and
 * GEOSEARCHSTORE: Redis 7.0's georadiusGeneric, step for step, because its order of checks decides
 * which error a bad command gets:
 *
 * 1. the source key is looked up (WRONGTYPE if not a sorted set);
 * 2. the centre and radius of GEORADIUS / the member and radius of GEORADIUSBYMEMBER ("could not
 *    decode requested zset member" for a missing member of an existing key);
 * 3. the options, left to right (WITHDIST WITHHASH WITHCOORD ANY ASC DESC COUNT n, STORE key and
 *    STOREDIST key for GEORADIUS*, STOREDIST for GEOSEARCHSTORE, FROMMEMBER, FROMLONLAT, BYRADIUS,
 *    BYBOX for GEOSEARCH*); an option in the wrong place or without its arguments is a syntax error;
 * 4. STORE with a WITH* option, GEOSEARCH without one FROM* or one BY*, ANY without COUNT;
 * 5. a missing source: the store key is deleted (:0) or the reply is empty;
 * 6. the nine hash boxes (geohash.ts) are scanned in order, members filtered by the shape; with
 *    ANY the scan stops at COUNT matches; COUNT without ASC/DESC/ANY sorts ascending;
 * 7. the reply (member, or [member, dist?, hash?, [lon, lat]?]) or the store (scores are the
 *    hashes, or the distances in the request's unit with STOREDIST; an empty result deletes it).
 *
 * Sorting as Redis: all matches with qsort (glibc's is a merge sort, so ties keep the scan order),
 * or, when COUNT is smaller than the matches, Redis's own partial quicksort (pqsort.ts), whose
 * order of tied members is reproduced exactly.
 */

import type { ZSetValue } from '../../keyspace/values.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { memberBytes, storeZSet } from '../zsets/zset-common.js';
import { parseBox, parseLonLat, parseRadius } from './geo-args.js';
import { replyCoordinate, replyDistance } from './geo-reply.js';
import {
  align52,
  decodeScore,
  distanceInShape,
  type HashBits,
  type Shape,
  searchBoxes,
} from './geohash.js';
import { pqsort } from './pqsort.js';

export type SearchKind =
  | 'radius'
  | 'radius_ro'
  | 'bymember'
  | 'bymember_ro'
  | 'search'
  | 'searchstore';

interface Point {
  readonly member: string;
  readonly score: number;
  readonly longitude: number;
  readonly latitude: number;
  readonly dist: number;
}

const COULD_NOT_DECODE = new ErrorReply('ERR could not decode requested zset member');

/** longLatFromMember: the member's position, or undefined if it is not in the set. */
function positionOf(
  zset: ZSetValue,
  member: Buffer | undefined,
): readonly [number, number] | undefined {
  const score = zset.value.score(keyOf(member));
  return score === undefined ? undefined : decodeScore(score);
}

/** The members of one hash box (min <= score < max) inside the shape, appended to `out`. */
function collectBox(
  zset: ZSetValue,
  box: HashBits,
  shape: Shape,
  out: Point[],
  limit: number,
): void {
  const min = Number(align52(box));
  const max = Number(align52({ bits: box.bits + 1n, step: box.step }));
  const set = zset.value;
  const start = set.firstIndex((entry) => entry.score < min);
  const end = set.firstIndex((entry) => entry.score < max);
  if (end <= start) return;
  for (const entry of set.range(start, end - 1)) {
    const [longitude, latitude] = decodeScore(entry.score);
    const dist = distanceInShape(shape, longitude, latitude);
    if (dist !== undefined) {
      out.push({ member: entry.member, score: entry.score, longitude, latitude, dist });
    }
    if (out.length > 0 && limit > 0 && out.length >= limit) return;
  }
}

/** membersOfAllNeighbors: skips excluded boxes and a box equal to the one scanned before it. */
function collect(zset: ZSetValue, shape: Shape, limit: number): Point[] {
  const boxes = searchBoxes(shape);
  const out: Point[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i];
    if (box === undefined) continue;
    const last = boxes[lastProcessed];
    // Redis compares with the previous box only once one was processed after the centre.
    if (
      lastProcessed !== 0 &&
      last !== undefined &&
      box.bits === last.bits &&
      box.step === last.step
    ) {
      continue;
    }
    if (out.length > 0 && limit > 0 && out.length >= limit) break;
    collectBox(zset, box, shape, out, limit);
    lastProcessed = i;
  }
  return out;
}

interface Options {
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  any: boolean;
  sort: 'none' | 'asc' | 'desc';
  count: number;
  storeKey: string | undefined;
  storeDist: boolean;
  center: readonly [number, number] | undefined;
  fromMember: boolean;
  fromLonLat: boolean;
  area:
    | { radius: number; conversion: number }
    | { width: number; height: number; conversion: number }
    | undefined;
}

export function geoSearch(
  ctx: CommandContext,
  argv: readonly Buffer[],
  kind: SearchKind,
): ErrorReply | undefined {
  const isSearch = kind === 'search' || kind === 'searchstore';
  const noStore = kind === 'radius_ro' || kind === 'bymember_ro';
  const srcIndex = kind === 'searchstore' ? 2 : 1;
  const zset = lookupRead(ctx, keyOf(argv[srcIndex]), 'zset');
  if (zset instanceof ErrorReply) return zset;
  const options: Options = {
    withDist: false,
    withHash: false,
    withCoord: false,
    any: false,
    sort: 'none',
    count: 0,
    storeKey: kind === 'searchstore' ? keyOf(argv[1]) : undefined,
    storeDist: false,
    center: undefined,
    fromMember: false,
    fromLonLat: false,
    area: undefined,
  };
  let baseArgs: number;
  if (kind === 'radius' || kind === 'radius_ro') {
    baseArgs = 6;
    const center = parseLonLat(argv[2], argv[3]);
    if (center instanceof ErrorReply) return center;
    options.center = center;
    const radius = parseRadius(argv[4], argv[5]);
    if (radius instanceof ErrorReply) return radius;
    options.area = radius;
  } else if (!isSearch) {
    baseArgs = 5;
    if (zset !== undefined) {
      const center = positionOf(zset, argv[2]);
      if (center === undefined) return COULD_NOT_DECODE;
      options.center = center;
      const radius = parseRadius(argv[3], argv[4]);
      if (radius instanceof ErrorReply) return radius;
      options.area = radius;
    }
  } else {
    baseArgs = kind === 'searchstore' ? 3 : 2;
  }
  const optionError = parseOptions(argv, baseArgs, kind, noStore, zset, options);
  if (optionError !== undefined) return optionError;
  if (
    options.storeKey !== undefined &&
    (options.withDist || options.withHash || options.withCoord)
  ) {
    const what = kind === 'searchstore' ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    return new ErrorReply(
      `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
    );
  }
  const name = argv[0]?.toString('latin1') ?? '';
  if (isSearch && !(options.fromMember || options.fromLonLat)) {
    return new ErrorReply(
      `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${name}`,
    );
  }
  if (isSearch && options.area === undefined) {
    return new ErrorReply(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${name}`);
  }
  if (options.any && options.count === 0) {
    return new ErrorReply('ERR the ANY argument requires COUNT argument');
  }
  if (zset === undefined) {
    if (options.storeKey !== undefined) {
      storeZSet(ctx, options.storeKey, []);
      ctx.reply.integer(0);
    } else {
      ctx.reply.arrayHeader(0);
    }
    return undefined;
  }
  if (options.count !== 0 && options.sort === 'none' && !options.any) options.sort = 'asc';
  const shape = shapeOf(options);
  const points = collect(zset, shape, options.any ? options.count : 0);
  if (points.length === 0 && options.storeKey === undefined) {
    ctx.reply.arrayHeader(0);
    return undefined;
  }
  const returnedCount =
    options.count === 0 || points.length < options.count ? points.length : options.count;
  if (options.sort !== 'none') {
    const cmp =
      options.sort === 'asc'
        ? (a: Point, b: Point) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1)
        : (a: Point, b: Point) => (a.dist < b.dist ? 1 : a.dist === b.dist ? 0 : -1);
    // qsort (glibc's merge sort: stable) for all, Redis's pqsort for the first COUNT.
    if (returnedCount === points.length) points.sort(cmp);
    else pqsort(points, cmp, 0, returnedCount - 1);
  }
  const returned = points.slice(0, returnedCount);
  if (options.storeKey === undefined) {
    replyPoints(ctx, returned, options, shape.conversion);
    return undefined;
  }
  const entries = returned.map((point) => ({
    member: point.member,
    score: options.storeDist ? point.dist / shape.conversion : point.score,
  }));
  storeZSet(ctx, options.storeKey, entries);
  if (entries.length > 1) ctx.node.dirty += entries.length - 1;
  ctx.reply.integer(entries.length);
  return undefined;
}

function shapeOf(options: Options): Shape {
  const xy = options.center ?? [0, 0];
  const area = options.area ?? { radius: 0, conversion: 1 };
  return 'radius' in area
    ? { kind: 'circle', xy, conversion: area.conversion, radius: area.radius }
    : { kind: 'box', xy, conversion: area.conversion, width: area.width, height: area.height };
}

function parseOptions(
  argv: readonly Buffer[],
  baseArgs: number,
  kind: SearchKind,
  noStore: boolean,
  zset: ZSetValue | undefined,
  options: Options,
): ErrorReply | undefined {
  const isSearch = kind === 'search' || kind === 'searchstore';
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = argv[at];
    if (isKeyword(arg, 'withdist')) options.withDist = true;
    else if (isKeyword(arg, 'withhash')) options.withHash = true;
    else if (isKeyword(arg, 'withcoord')) options.withCoord = true;
    else if (isKeyword(arg, 'any')) options.any = true;
    else if (isKeyword(arg, 'asc')) options.sort = 'asc';
    else if (isKeyword(arg, 'desc')) options.sort = 'desc';
    else if (isKeyword(arg, 'count') && i + 1 < remaining) {
      const count = parseInt64(argv[at + 1]);
      if (count === undefined) return NOT_INTEGER;
      if (count <= 0n) return new ErrorReply('ERR COUNT must be > 0');
      options.count = Number(count);
      i++;
    } else if (
      (isKeyword(arg, 'store') || isKeyword(arg, 'storedist')) &&
      i + 1 < remaining &&
      !noStore &&
      !isSearch
    ) {
      options.storeKey = keyOf(argv[at + 1]);
      options.storeDist = isKeyword(arg, 'storedist');
      i++;
    } else if (isKeyword(arg, 'storedist') && kind === 'searchstore') {
      options.storeDist = true;
    } else if (
      isKeyword(arg, 'frommember') &&
      i + 1 < remaining &&
      isSearch &&
      !options.fromLonLat
    ) {
      if (zset !== undefined) {
        const center = positionOf(zset, argv[at + 1]);
        if (center === undefined) return COULD_NOT_DECODE;
        options.center = center;
      }
      options.fromMember = true;
      i++;
    } else if (
      isKeyword(arg, 'fromlonlat') &&
      i + 2 < remaining &&
      isSearch &&
      !options.fromMember
    ) {
      const center = parseLonLat(argv[at + 1], argv[at + 2]);
      if (center instanceof ErrorReply) return center;
      options.center = center;
      options.fromLonLat = true;
      i += 2;
    } else if (
      isKeyword(arg, 'byradius') &&
      i + 2 < remaining &&
      isSearch &&
      !(options.area !== undefined && 'width' in options.area)
    ) {
      const radius = parseRadius(argv[at + 1], argv[at + 2]);
      if (radius instanceof ErrorReply) return radius;
      options.area = radius;
      i += 2;
    } else if (
      isKeyword(arg, 'bybox') &&
      i + 3 < remaining &&
      isSearch &&
      !(options.area !== undefined && 'radius' in options.area)
    ) {
      const box = parseBox(argv[at + 1], argv[at + 2], argv[at + 3]);
      if (box instanceof ErrorReply) return box;
      options.area = box;
      i += 3;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return undefined;
}

function replyPoints(
  ctx: CommandContext,
  points: readonly Point[],
  options: Options,
  conversion: number,
): void {
  const extras =
    (options.withDist ? 1 : 0) + (options.withCoord ? 1 : 0) + (options.withHash ? 1 : 0);
  ctx.reply.arrayHeader(points.length);
  for (const point of points) {
    if (extras > 0) ctx.reply.arrayHeader(extras + 1);
    ctx.reply.bulk(memberBytes(point.member));
    if (options.withDist) replyDistance(ctx.reply, point.dist / conversion);
    if (options.withHash) ctx.reply.integer(point.score);
    if (options.withCoord) {
      ctx.reply.arrayHeader(2);
      replyCoordinate(ctx.reply, point.longitude);
      replyCoordinate(ctx.reply, point.latitude);
    }
  }
}

/**
 * The keys of GEORADIUS / GEORADIUSBYMEMBER as Redis 7.0's key specs find them: the source, then
 * the key after the first STORE and the key after the first STOREDIST, each searched from
 * `startFrom` (6 and 5; a keyword in the last position has no key and is not found).
 */
function storeKeyIndexes(argv: readonly Buffer[], startFrom: number): number[] {
  const indexes = [1];
  for (const keyword of ['store', 'storedist']) {
    for (let i = startFrom; i < argv.length - 1; i++) {
      if (isKeyword(argv[i], keyword)) {
        indexes.push(i + 1);
        break;
      }
    }
  }
  return indexes;
}

export const radiusKeyIndexes = (argv: readonly Buffer[]): number[] => storeKeyIndexes(argv, 6);
export const byMemberKeyIndexes = (argv: readonly Buffer[]): number[] => storeKeyIndexes(argv, 5);

/** The source key is read, a STORE/STOREDIST key overwritten. */
export const radiusKeyFlags = (index: number): readonly string[] =>
  index === 1 ? ['RO', 'access'] : ['OW', 'update'];
