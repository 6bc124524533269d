/**
 * The tracking table against a model, under random operations: clients turn default-mode
 * tracking on and off, read keys, change keys (as themselves or as another client), and flush.
 * The model is Redis's rule in a few lines: a read adds (key, id) while the client tracks; a
 * change of a key sends one invalidation to every id listed under it that still tracks (the
 * current client's own after its command) and forgets the key; a flush sends every tracking
 * client a null and forgets everything. The invariants: each client receives exactly the model's
 * messages, in order, and INFO's tracking_total_keys / tracking_total_items equal the model's.
 *
 * Method: Tracking alone, with connection-less clients (the script client's kind) whose reply
 * buffers are read back; fast-check drives the operations. Runs: 100 cases by default;
 * REPLISIM_PROPERTY_RUNS=N for more.
 */
import { createRandom } from '@replisim/base';
import { RespDecoder } from '@replisim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Client } from '../client.js';
import { COMMAND_TABLE } from '../commands/table.js';
import type { Command } from '../commands/types.js';
import { createScriptClient } from '../scripting/script-client.js';
import { Tracking } from './tracking.js';

const RUNS_VARIABLE = 'REPLISIM_PROPERTY_RUNS';
const CLIENTS = 3;
const KEYS = ['a', 'b', 'c', 'd'];

type Op =
  | { readonly kind: 'on' | 'off'; readonly client: number }
  | { readonly kind: 'read'; readonly client: number; readonly keys: readonly string[] }
  | { readonly kind: 'write'; readonly client: number; readonly key: string }
  | { readonly kind: 'flush'; readonly client: number };

const clientIndex = fc.integer({ min: 0, max: CLIENTS - 1 });
const key = fc.constantFrom(...KEYS);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('on' as const, 'off' as const), client: clientIndex }),
  fc.record({
    kind: fc.constant('read' as const),
    client: clientIndex,
    keys: fc.uniqueArray(key, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('write' as const), client: clientIndex, key }),
  fc.record({ kind: fc.constant('flush' as const), client: clientIndex }),
);

function command(name: string): Command {
  const found = COMMAND_TABLE.get(name);
  if (found === undefined) throw new Error(`no ${name} command`);
  return found;
}

/** What a client's reply buffer holds, as `k` for a key invalidation and `null` for a flush. */
function messagesOf(client: Client): string[] {
  const bytes = client.reply.take();
  if (bytes === null) return [];
  const decoder = new RespDecoder();
  decoder.feed(Buffer.from(bytes));
  const messages: string[] = [];
  for (;;) {
    const next = decoder.next();
    if (next.kind !== 'value') break;
    const value = next.value;
    if (value.kind !== 'push') continue;
    const payload = value.items[1];
    if (payload?.kind === 'null') messages.push('null');
    else if (payload?.kind === 'array' && payload.items[0]?.kind === 'bulk') {
      messages.push(payload.items[0].value.toString('latin1'));
    }
  }
  return messages;
}

function runCase(ops: readonly Op[]): void {
  const clients = new Map<number, Client>();
  const list: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = createScriptClient(i + 1, 0);
    client.reply.protocol = 3;
    clients.set(client.id, client);
    list.push(client);
  }
  const tracking = new Tracking({
    clients,
    random: createRandom(1),
    maxKeys: () => 0,
    flush: () => undefined,
    later: () => undefined,
  });
  const model = new Map<string, Set<number>>();
  const tracks = new Set<number>();
  const expected: string[][] = list.map(() => []);
  const mget = command('mget');
  const set = command('set');
  for (const step of ops) {
    const client = list[step.client];
    if (client === undefined) throw new Error('no client');
    if (step.kind === 'on') {
      tracking.enable(client, 0, { bcast: false, optin: false, optout: false, noloop: false }, []);
      tracks.add(client.id);
      continue;
    }
    if (step.kind === 'off') {
      tracking.disable(client);
      tracks.delete(client.id);
      continue;
    }
    // A command of `client`: it is the current client while it runs.
    tracking.currentClient = client;
    const own: string[] = [];
    if (step.kind === 'read') {
      const argv = ['MGET', ...step.keys].map((word) => Buffer.from(word));
      tracking.runCall(client, mget, argv, () => undefined);
      if (tracks.has(client.id)) {
        for (const name of step.keys) {
          const ids = model.get(name) ?? new Set<number>();
          ids.add(client.id);
          model.set(name, ids);
        }
      }
    } else if (step.kind === 'write') {
      const argv = ['SET', step.key, 'v'].map((word) => Buffer.from(word));
      tracking.runCall(client, set, argv, () =>
        tracking.invalidateKey(step.key, true, tracking.executingClient),
      );
      for (const id of model.get(step.key) ?? []) {
        if (!tracks.has(id)) continue;
        if (id === client.id) own.push(step.key);
        else expected[id - 1]?.push(step.key);
      }
      model.delete(step.key);
    } else {
      tracking.runCall(client, command('flushall'), [Buffer.from('FLUSHALL')], () =>
        tracking.invalidateAllOnFlush(),
      );
      for (const id of tracks) {
        if (id === client.id) own.push('null');
        else expected[id - 1]?.push('null');
      }
      model.clear();
    }
    tracking.afterRequest(client, () => 'x');
    tracking.currentClient = undefined;
    expected[step.client]?.push(...own);
  }
  list.forEach((client, index) => {
    expect(messagesOf(client), `messages of client ${index}`).toEqual(expected[index]);
  });
  expect(tracking.totalKeys).toBe(model.size);
  let items = 0;
  for (const ids of model.values()) items += ids.size;
  // Ids of clients that stopped tracking stay listed, in Redis and in the model alike.
  expect(tracking.totalItems).toBe(items);
  expect(tracking.clientCount).toBe(tracks.size);
}

describe('the tracking table', () => {
  it('sends exactly the invalidations of the model and counts what it holds', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => runCase(ops)),
      { numRuns: Number(process.env[RUNS_VARIABLE] ?? 100) },
    );
  });
});
