/** The GEO commands, listed for the table (commands/table.ts). They work on sorted sets. */
import type { Command } from '../types.js';
import { geoadd } from './geoadd.js';
import { geodist } from './geodist.js';
import { geohash } from './geohash-command.js';
import { geopos } from './geopos.js';
import { georadius } from './georadius.js';
import { georadiusRo } from './georadius-ro.js';
import { georadiusbymember } from './georadiusbymember.js';
import { georadiusbymemberRo } from './georadiusbymember-ro.js';
import { geosearch } from './geosearch.js';
import { geosearchstore } from './geosearchstore.js';

export const GEO_COMMANDS: readonly Command[] = [
  geoadd,
  geodist,
  geohash,
  geopos,
  georadius,
  georadiusRo,
  georadiusbymember,
  georadiusbymemberRo,
  geosearch,
  geosearchstore,
];
