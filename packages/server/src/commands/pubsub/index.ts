/** The Pub/Sub commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { psubscribe } from './psubscribe.js';
import { publish } from './publish.js';
import { pubsubCommand } from './pubsub.js';
import { punsubscribe } from './punsubscribe.js';
import { spublish } from './spublish.js';
import { ssubscribe } from './ssubscribe.js';
import { subscribe } from './subscribe.js';
import { sunsubscribe } from './sunsubscribe.js';
import { unsubscribe } from './unsubscribe.js';

export const PUBSUB_COMMANDS: readonly Command[] = [
  psubscribe,
  publish,
  pubsubCommand,
  punsubscribe,
  spublish,
  ssubscribe,
  subscribe,
  sunsubscribe,
  unsubscribe,
];
