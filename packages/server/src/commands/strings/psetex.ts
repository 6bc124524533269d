/**
 * PSETEX key milliseconds value
 *
 * SETEX with the time to live in milliseconds (setex.ts): replies +OK, "invalid expire time in
 * 'psetex' command" for <= 0, propagated as `SET key value PXAT <ms>`.
 */
import type { Command } from '../types.js';
import { defineSetex } from './setex.js';

export const psetex: Command = defineSetex(
  'psetex',
  'Set the value and expiration in milliseconds of a key',
  '2.6.0',
  'key milliseconds:integer value',
);
