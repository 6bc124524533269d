/**
 * Redis's geohash (geohash.c and geohash_helper.c of Redis 7.0), ported for byte-identical GEO
 * replies: a position is a 52-bit interleaved hash (26 bits of latitude at the even positions, 26
 * of longitude at the odd ones, over latitudes -85.05112878..85.05112878 and longitudes
 * -180..180), stored as the member's sorted-set score. A search covers the shape with the hash box
 * of the centre plus its eight neighbours at a step chosen from the radius, and then filters the
 * members of those boxes by distance (haversine on a sphere of radius 6372797.560856 m).
 *
 * Hash bits are bigints (up to 64 bits of shifting and masking, as the C code's uint64_t).
 */

export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const GEO_STEP_MAX = 26;

const D_R = Math.PI / 180.0;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const MASK64 = 0xffffffffffffffffn;
const EVEN_BITS = 0x5555555555555555n;
const ODD_BITS = 0xaaaaaaaaaaaaaaaan;

export interface HashBits {
  readonly bits: bigint;
  readonly step: number;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

export interface Area {
  readonly latitude: Range;
  readonly longitude: Range;
}

const WGS84_LONG: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

const degRad = (angle: number): number => angle * D_R;
const radDeg = (angle: number): number => angle / D_R;

/** interleave64: x's bits at the even positions, y's at the odd ones (32 bits each). */
function interleave(x: number, y: number): bigint {
  let bits = 0n;
  for (let i = 31; i >= 0; i--) {
    bits = (bits << 2n) | (BigInt((y >>> i) & 1) << 1n) | BigInt((x >>> i) & 1);
  }
  return bits;
}

/** deinterleave64: the even bits (x) and the odd bits (y). */
function deinterleave(bits: bigint): { x: number; y: number } {
  let x = 0;
  let y = 0;
  for (let i = 31; i >= 0; i--) {
    x = x * 2 + Number((bits >> BigInt(2 * i)) & 1n);
    y = y * 2 + Number((bits >> BigInt(2 * i + 1)) & 1n);
  }
  return { x, y };
}

/** geohashEncode: undefined where Redis returns 0 (out of range). */
export function encode(
  longRange: Range,
  latRange: Range,
  longitude: number,
  latitude: number,
  step: number,
): HashBits | undefined {
  if (step > 32 || step === 0) return undefined;
  if (longitude > 180 || longitude < -180 || latitude > 85.05112878 || latitude < -85.05112878) {
    return undefined;
  }
  if (
    latitude < latRange.min ||
    latitude > latRange.max ||
    longitude < longRange.min ||
    longitude > longRange.max
  ) {
    return undefined;
  }
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  // The C code converts the doubles to uint32_t: truncation.
  return { bits: interleave(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0), step };
}

export function encodeWgs84(
  longitude: number,
  latitude: number,
  step: number,
): HashBits | undefined {
  return encode(WGS84_LONG, WGS84_LAT, longitude, latitude, step);
}

/** The standard ranges (latitude -90..90) GEOHASH re-encodes with. */
export function encodeStandard(longitude: number, latitude: number): HashBits | undefined {
  return encode({ min: -180, max: 180 }, { min: -90, max: 90 }, longitude, latitude, GEO_STEP_MAX);
}

/** geohashDecode over the WGS84 ranges. */
export function decode(hash: HashBits): Area {
  const { x: ilato, y: ilono } = deinterleave(hash.bits);
  const latScale = WGS84_LAT.max - WGS84_LAT.min;
  const longScale = WGS84_LONG.max - WGS84_LONG.min;
  const cells = 2 ** hash.step;
  return {
    latitude: {
      min: WGS84_LAT.min + ((ilato * 1.0) / cells) * latScale,
      max: WGS84_LAT.min + (((ilato + 1) * 1.0) / cells) * latScale,
    },
    longitude: {
      min: WGS84_LONG.min + ((ilono * 1.0) / cells) * longScale,
      max: WGS84_LONG.min + (((ilono + 1) * 1.0) / cells) * longScale,
    },
  };
}

/** decodeGeohash: a member's score to [longitude, latitude], the centre of its cell. */
export function decodeScore(score: number): readonly [number, number] {
  const area = decode({ bits: BigInt.asUintN(64, BigInt(Math.trunc(score))), step: GEO_STEP_MAX });
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

/** geohashAlign52Bits: the hash as a 52-bit score. */
export function align52(hash: HashBits): bigint {
  return (hash.bits << BigInt(52 - hash.step * 2)) & MASK64;
}

function moveX(hash: HashBits, d: number): HashBits {
  if (d === 0) return hash;
  let x = hash.bits & ODD_BITS;
  const y = hash.bits & EVEN_BITS;
  const zz = EVEN_BITS >> BigInt(64 - hash.step * 2);
  if (d > 0) x = (x + (zz + 1n)) & MASK64;
  else x = ((x | zz) - (zz + 1n)) & MASK64;
  x &= ODD_BITS >> BigInt(64 - hash.step * 2);
  return { bits: x | y, step: hash.step };
}

function moveY(hash: HashBits, d: number): HashBits {
  if (d === 0) return hash;
  const x = hash.bits & ODD_BITS;
  let y = hash.bits & EVEN_BITS;
  const zz = ODD_BITS >> BigInt(64 - hash.step * 2);
  if (d > 0) y = (y + (zz + 1n)) & MASK64;
  else y = ((y | zz) - (zz + 1n)) & MASK64;
  y &= EVEN_BITS >> BigInt(64 - hash.step * 2);
  return { bits: x | y, step: hash.step };
}

/** The nine boxes of a search, in membersOfAllNeighbors's order; undefined = excluded (GZERO). */
export type SearchBoxes = readonly (HashBits | undefined)[];

export const ZERO_HASH: HashBits = { bits: 0n, step: 0 };

/** geohashEstimateStepsByRadius. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let range = rangeMeters;
  let step = 1;
  while (range < MERCATOR_MAX) {
    range *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** A search shape: a circle (radius) or a box (width x height), in the unit of `conversion`. */
export type Shape =
  | {
      readonly kind: 'circle';
      readonly xy: readonly [number, number];
      readonly conversion: number;
      readonly radius: number;
    }
  | {
      readonly kind: 'box';
      readonly xy: readonly [number, number];
      readonly conversion: number;
      readonly width: number;
      readonly height: number;
    };

/** geohashBoundingBox: [min lon, min lat, max lon, max lat]. */
function boundingBox(shape: Shape): readonly [number, number, number, number] {
  const [longitude, latitude] = shape.xy;
  const height = shape.conversion * (shape.kind === 'circle' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.kind === 'circle' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(
    width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)),
  );
  const longDeltaBottom = radDeg(
    width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)),
  );
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

interface Neighbors {
  north: HashBits | undefined;
  south: HashBits | undefined;
  east: HashBits | undefined;
  west: HashBits | undefined;
  northEast: HashBits | undefined;
  northWest: HashBits | undefined;
  southEast: HashBits | undefined;
  southWest: HashBits | undefined;
}

function neighborsOf(hash: HashBits): Neighbors {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    southWest: moveY(moveX(hash, -1), -1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
  };
}

/** geohashCalculateAreasByShapeWGS84: the boxes to scan, centre first. */
export function searchBoxes(shape: Shape): SearchBoxes {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const [longitude, latitude] = shape.xy;
  let radiusMeters =
    shape.kind === 'circle'
      ? shape.radius
      : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, latitude);
  let hash = encodeWgs84(longitude, latitude, steps) ?? { bits: 0n, step: steps };
  let neighbors = neighborsOf(hash);
  let area = decode(hash);
  let decreaseStep = false;
  {
    const north = decode(neighbors.north ?? ZERO_HASH);
    const south = decode(neighbors.south ?? ZERO_HASH);
    const east = decode(neighbors.east ?? ZERO_HASH);
    const west = decode(neighbors.west ?? ZERO_HASH);
    if (north.latitude.max < maxLat) decreaseStep = true;
    if (south.latitude.min > minLat) decreaseStep = true;
    if (east.longitude.max < maxLon) decreaseStep = true;
    if (west.longitude.min > minLon) decreaseStep = true;
  }
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = encodeWgs84(longitude, latitude, steps) ?? { bits: 0n, step: steps };
    neighbors = neighborsOf(hash);
    area = decode(hash);
  }
  if (steps >= 2) {
    if (area.latitude.min < minLat) {
      neighbors.south = undefined;
      neighbors.southWest = undefined;
      neighbors.southEast = undefined;
    }
    if (area.latitude.max > maxLat) {
      neighbors.north = undefined;
      neighbors.northEast = undefined;
      neighbors.northWest = undefined;
    }
    if (area.longitude.min < minLon) {
      neighbors.west = undefined;
      neighbors.southWest = undefined;
      neighbors.northWest = undefined;
    }
    if (area.longitude.max > maxLon) {
      neighbors.east = undefined;
      neighbors.southEast = undefined;
      neighbors.northEast = undefined;
    }
  }
  return [
    hash,
    neighbors.north,
    neighbors.south,
    neighbors.east,
    neighbors.west,
    neighbors.northEast,
    neighbors.northWest,
    neighbors.southEast,
    neighbors.southWest,
  ];
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine distance in meters. */
export function distance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Same longitude: the cheaper latitude distance, as Redis.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** geoWithinShape: the distance from the shape's centre if the point is inside, else undefined. */
export function distanceInShape(shape: Shape, x: number, y: number): number | undefined {
  const [cx, cy] = shape.xy;
  if (shape.kind === 'circle') {
    const d = distance(cx, cy, x, y);
    return d > shape.radius * shape.conversion ? undefined : d;
  }
  const width = shape.width * shape.conversion;
  const height = shape.height * shape.conversion;
  if (latDistance(y, cy) > height / 2) return undefined;
  if (distance(x, y, cx, y) > width / 2) return undefined;
  return distance(cx, cy, x, y);
}
