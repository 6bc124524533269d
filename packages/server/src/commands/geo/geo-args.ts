/**
 * The argument readers GEO commands share, with Redis 7.0's exact errors (geo.c): coordinates
 * (extractLongLatOrReply), units (extractUnitOrReply), a radius (extractDistanceOrReply) and a box
 * (extractBoxOrReply). Each returns the value or the error to reply.
 */
import { ErrorReply } from '../types.js';
import { NOT_FLOAT, parseScore } from '../zsets/score.js';
import { fixedDecimal } from './geo-reply.js';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from './geohash.js';

const UNITS: Readonly<Record<string, number>> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

export function parseUnit(arg: Buffer | undefined): number | ErrorReply {
  const unit = UNITS[arg?.toString('latin1').toLowerCase() ?? ''];
  return unit ?? new ErrorReply('ERR unsupported unit provided. please use M, KM, FT, MI');
}

/** getDoubleFromObjectOrReply with an optional message ("ERR <msg>"). */
function parseDouble(arg: Buffer | undefined, message?: string): number | ErrorReply {
  const value = parseScore(arg);
  if (value !== undefined) return value;
  return message === undefined ? NOT_FLOAT : new ErrorReply(`ERR ${message}`);
}

export function parseLonLat(
  lonArg: Buffer | undefined,
  latArg: Buffer | undefined,
): readonly [number, number] | ErrorReply {
  const lon = parseDouble(lonArg);
  if (lon instanceof ErrorReply) return lon;
  const lat = parseDouble(latArg);
  if (lat instanceof ErrorReply) return lat;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    // "-ERR ...\r\n" through addReplyErrorFormat, which trims the trailing CR LF.
    return new ErrorReply(
      `ERR invalid longitude,latitude pair ${fixedDecimal(lon, 6)},${fixedDecimal(lat, 6)}`,
    );
  }
  return [lon, lat];
}

export function parseRadius(
  valueArg: Buffer | undefined,
  unitArg: Buffer | undefined,
): { radius: number; conversion: number } | ErrorReply {
  const radius = parseDouble(valueArg, 'need numeric radius');
  if (radius instanceof ErrorReply) return radius;
  if (radius < 0) return new ErrorReply('ERR radius cannot be negative');
  const conversion = parseUnit(unitArg);
  if (conversion instanceof ErrorReply) return conversion;
  return { radius, conversion };
}

export function parseBox(
  widthArg: Buffer | undefined,
  heightArg: Buffer | undefined,
  unitArg: Buffer | undefined,
): { width: number; height: number; conversion: number } | ErrorReply {
  const width = parseDouble(widthArg, 'need numeric width');
  if (width instanceof ErrorReply) return width;
  const height = parseDouble(heightArg, 'need numeric height');
  if (height instanceof ErrorReply) return height;
  if (height < 0 || width < 0) return new ErrorReply('ERR height or width cannot be negative');
  const conversion = parseUnit(unitArg);
  if (conversion instanceof ErrorReply) return conversion;
  return { width, height, conversion };
}
