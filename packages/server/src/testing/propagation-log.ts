/**
 * What a node propagates (to replicas and the AOF), captured for tests in the three forms the
 * command tests compare: argv lines, raw bytes since the last look, and the bytes one action
 * propagated. Each command family's tests used to subscribe and decode by hand; a change to the
 * propagation stream's framing (chunks, SELECTs) now has one place to be followed in.
 */
import { RespDecoder } from '@replisim/protocol';
import type { ServerNode } from '../node.js';

/**
 * A live list of the commands `node` propagates from now on, each as its words joined by spaces
 * (`LPOP q 2`); the SELECTs the stream carries between databases are left out. Non-bulk words
 * (never sent by a node) read as `?`.
 */
export function propagatedArgvLines(node: ServerNode): string[] {
  const lines: string[] = [];
  const decoder = new RespDecoder();
  node.propagation.subscribe((chunk) => {
    decoder.feed(chunk.bytes);
    for (let result = decoder.next(); result.kind === 'value'; result = decoder.next()) {
      const value = result.value;
      if (value.kind !== 'array') continue;
      const words = value.items.map((item) =>
        item.kind === 'bulk' ? item.value.toString('latin1') : '?',
      );
      if (words[0] !== 'SELECT') lines.push(words.join(' '));
    }
  });
  return lines;
}

/**
 * Subscribes to `node`'s propagation from now on; each call of the returned function gives the
 * bytes propagated since the previous call (as latin1, SELECTs included) and forgets them.
 */
export function propagatedBytes(node: ServerNode): () => string {
  const chunks: Buffer[] = [];
  node.propagation.subscribe((chunk) => chunks.push(chunk.bytes));
  return () => Buffer.concat(chunks.splice(0)).toString('latin1');
}

/** Everything `node` propagates while `action` runs, as one latin1 string. */
export function propagatedDuring(node: ServerNode, action: () => void): string {
  const chunks: Buffer[] = [];
  const unsubscribe = node.propagation.subscribe((chunk) => chunks.push(chunk.bytes));
  action();
  unsubscribe();
  return Buffer.concat(chunks).toString('latin1');
}
