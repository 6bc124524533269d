/**
 * used_memory: what replisim reports as the memory Redis 7.0 would have allocated for the same
 * state, and what maxmemory is compared with. It is an estimate made of parts kept up to date as
 * the state changes, never a measurement of the JS heap (which depends on V8, not on the dataset
 * alone, and would make simulated runs irreproducible):
 *
 *   used_memory = USED_MEMORY_STARTUP_BYTES               (an empty redis-server 7.0.15)
 *               + sum over databases of Database.memoryBytes()   (keys, values, dict tables; O(1))
 *               + clients memory                           (refreshed by the cron, see below)
 *               + replication backlog bytes held           (repl_backlog_histlen)
 *
 * Clients memory is, per client, CLIENT_IDLE_BYTES plus its pending query bytes, unsent reply
 * bytes and queued MULTI arguments. Walking every client on every command would cost O(clients),
 * so the sum is refreshed by the cron (hz times a second), as Redis's clientsCron refreshes its
 * per-client memory figures. Replicas' output is reported in it but is "not counted for evict"
 * (freeMemoryGetNotCountedMemory): DELs pushed into those buffers by eviction must not cause more
 * eviction.
 *
 * The constants were measured on redis-server 7.0.15 (jemalloc 5.3.0) on this machine; see
 * docs/maxmemory.md for the comparison figures.
 */
import type { ServerNode } from '../node.js';

/** used_memory_startup of redis-server 7.0.15 with no client connected. */
export const USED_MEMORY_STARTUP_BYTES = 876_080;
/**
 * What an idle connected client adds to used_memory in 7.0.15 (client struct, its reply buffer,
 * list nodes): measured as the growth of used_memory per idle connection, 50 connections.
 */
export const CLIENT_IDLE_BYTES = 2_258;

/** The clients' share of used_memory, as the cron last computed it. */
export interface ClientsMemory {
  /** Normal clients (mem_clients_normal). */
  normal: number;
  /** Replicas' buffers (mem_clients_slaves): not counted for eviction. */
  replicas: number;
}

/** Recomputes the clients' share (the cron's job; O(clients)). */
export function measureClientsMemory(node: ServerNode): ClientsMemory {
  let normal = 0;
  let replicas = 0;
  for (const client of node.clients.values()) {
    const pending = client.connection.bufferedBytes() + client.reply.bytesPending();
    if (node.master.isReplicaClient(client)) {
      replicas += CLIENT_IDLE_BYTES + pending;
      continue;
    }
    normal += CLIENT_IDLE_BYTES + pending + client.parser.bufferedBytes();
    normal += client.transaction?.memoryBytes ?? 0;
  }
  return { normal, replicas };
}

/** The replication backlog's bytes (mem_replication_backlog). */
export function backlogBytes(node: ServerNode): number {
  return node.repl.backlog?.histlen ?? 0;
}

/** Every database's keys, values and tables (used_memory_dataset plus the dict overhead). */
export function datasetBytes(node: ServerNode): number {
  let bytes = 0;
  for (const db of node.databases) bytes += db.memoryBytes();
  return bytes;
}

/** used_memory (see the module doc). O(databases). */
export function usedMemoryBytes(node: ServerNode): number {
  const clients = node.clientsMemory;
  return (
    USED_MEMORY_STARTUP_BYTES +
    datasetBytes(node) +
    clients.normal +
    clients.replicas +
    backlogBytes(node)
  );
}

/** freeMemoryGetNotCountedMemory: the replicas' output buffers (mem_not_counted_for_evict). */
export function notCountedForEvictBytes(node: ServerNode): number {
  return node.clientsMemory.replicas;
}
