/**
 * Redis-style log lines: `pid:role dd Mon yyyy hh:mm:ss.mmm <level> message`, where role is M for a
 * master (S replica, C child) and level is `.` debug, `-` verbose, `*` notice, `#` warning. The node
 * decides what to log; the sink (stdout, a file, the harness's timeline) decides where it goes.
 */
import type { LogLevel } from './config/server-config.js';

export type LogSink = (line: string) => void;

const LEVEL_MARKS: Readonly<Record<Exclude<LogLevel, 'nothing'>, string>> = {
  debug: '.',
  verbose: '-',
  notice: '*',
  warning: '#',
};

const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = {
  debug: 0,
  verbose: 1,
  notice: 2,
  warning: 3,
  nothing: 4,
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** True when a message at `level` passes the configured `threshold`. */
export function logLevelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_ORDER[level] >= LEVEL_ORDER[threshold];
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatLogLine(
  pid: number,
  role: string,
  wallMs: number,
  level: Exclude<LogLevel, 'nothing'>,
  message: string,
): string {
  const t = new Date(wallMs);
  const date = `${pad(t.getDate(), 2)} ${MONTHS[t.getMonth()]} ${t.getFullYear()}`;
  const time = `${pad(t.getHours(), 2)}:${pad(t.getMinutes(), 2)}:${pad(t.getSeconds(), 2)}.${pad(t.getMilliseconds(), 3)}`;
  return `${pid}:${role} ${date} ${time} ${LEVEL_MARKS[level]} ${message}`;
}
