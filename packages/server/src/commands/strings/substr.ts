/**
 * SUBSTR key start end
 *
 * The deprecated alias of GETRANGE (getrange.ts), with the same replies.
 */
import type { Command } from '../types.js';
import { defineGetrange } from './getrange.js';

export const substr: Command = defineGetrange('substr', '1.0.0');
