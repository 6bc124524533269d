/**
 * A node's state as INFO shows it: role, replication ids and offsets, the backlog window, the link
 * to its master, BGSAVE. Parsed from INFO text, so real redis-server and replisim are read alike;
 * the sim backend reads INFO's fields in-process instead of asking over the network, which costs no
 * simulated time (and, as a map, no text to format and split again).
 */

export interface ReplicaEntry {
  readonly address: string;
  readonly state: string;
  readonly offset: number;
}

export interface NodeState {
  /** Listening and done loading. */
  readonly serving: boolean;
  readonly role: 'master' | 'replica';
  readonly replid: string;
  readonly replid2: string;
  /** master_repl_offset: the end of this node's replication stream. */
  readonly offset: number;
  readonly secondReplOffset: number;
  /** The backlog window: [first, first + histlen) in offsets; histlen 0 when there is none. */
  readonly backlogFirst: number;
  readonly backlogHistlen: number;
  /** For a replica: the link to its master is up (master_link_status:up). */
  readonly linkUp: boolean;
  readonly masterHost: string;
  readonly replicas: readonly ReplicaEntry[];
  readonly bgsaveInProgress: boolean;
  readonly lastBgsaveOk: boolean;
  /** A replica still loading or receiving the snapshot (master_sync_in_progress). */
  readonly syncInProgress: boolean;
}

/** The `name:value` fields of an INFO reply. */
export function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** INFO replication + persistence (+ loading) as a NodeState. */
export function parseNodeState(info: string, serving: boolean): NodeState {
  return nodeStateOf(infoFields(info), serving);
}

/** The same from INFO's fields already split into a map (the sim backend's in-process read). */
export function nodeStateOf(fields: ReadonlyMap<string, string>, serving: boolean): NodeState {
  const text = (name: string): string => fields.get(name) ?? '';
  const int = (name: string): number => Number.parseInt(fields.get(name) ?? '0', 10) || 0;
  const replicas: ReplicaEntry[] = [];
  for (const [name, value] of fields) {
    if (!/^slave\d+$/.test(name)) continue;
    const parts = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
    replicas.push({
      address: `${parts.get('ip') ?? ''}:${parts.get('port') ?? ''}`,
      state: parts.get('state') ?? '',
      offset: Number(parts.get('offset') ?? '0'),
    });
  }
  return {
    serving: serving && text('loading') !== '1',
    role: text('role') === 'slave' ? 'replica' : 'master',
    replid: text('master_replid'),
    replid2: text('master_replid2'),
    offset: int('master_repl_offset'),
    secondReplOffset: int('second_repl_offset'),
    backlogFirst: int('repl_backlog_first_byte_offset'),
    backlogHistlen: int('repl_backlog_histlen'),
    linkUp: text('master_link_status') === 'up',
    masterHost: text('master_host'),
    replicas,
    bgsaveInProgress: text('rdb_bgsave_in_progress') === '1',
    lastBgsaveOk: text('rdb_last_bgsave_status') === 'ok',
    syncInProgress: text('master_sync_in_progress') === '1',
  };
}
