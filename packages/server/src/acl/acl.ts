/**
 * A node's ACL state (Redis 7.0's Users rax, DefaultUser and ACLLog): the users by name, the
 * `default` user every connection starts as, `requirepass` kept in step with the default user's
 * password, authentication, and the ACL LOG of refusals.
 *
 * Clients point at their User object (client.aclUser; undefined is the default user), so ACL
 * SETUSER changes a user in place and its clients see the new rules at their next command; ACL
 * DELUSER (and ACL LOAD) close the clients of a removed user, as ACLFreeUserAndKillClients does.
 */
import type { Client } from '../client.js';
import { clientInfoLine } from '../commands/connection/client.js';
import type { ServerNode } from '../node.js';
import { channelAllowed } from './check.js';
import { User } from './user.js';

/** Where a refused command ran (ACL_LOG_CTX_*). */
export type AclLogContext = 'toplevel' | 'multi' | 'lua';
export type AclLogReason = 'command' | 'key' | 'channel' | 'auth';

export interface AclLogEntry {
  count: number;
  readonly reason: AclLogReason;
  readonly context: AclLogContext;
  readonly object: string;
  readonly username: string;
  /** Wall-clock ms of the last occurrence (Redis's ctime). */
  ctimeMs: number;
  clientInfo: string;
}

/** Entries this close in time (and otherwise equal) are one entry with a count (Redis's 60 s). */
const ACL_LOG_GROUPING_MAX_TIME_DELTA_MS = 60000;
/** How many recent entries a new one is compared with (addACLLogEntry's toscan). */
const ACL_LOG_GROUPING_SCAN_MAX = 10;

export class AclState {
  /** Users by name; ACL LIST and USERS sort them by name bytes, as Redis's rax. */
  readonly users: Map<string, User> = new Map();
  readonly defaultUser: User;
  /** Newest first. */
  log: AclLogEntry[] = [];
  /** The requirepass value last applied to the default user (ACLUpdateDefaultUserPassword). */
  private requirepassApplied: string | undefined = undefined;

  constructor() {
    this.defaultUser = AclState.freshDefault();
    this.users.set('default', this.defaultUser);
  }

  /**
   * ACL LOAD's commit: the default user keeps its object and takes the loaded rules (or the
   * defaults when the file has no `default` line); every other user is replaced, and the clients
   * of the old users are closed (ACLFreeUsersSet).
   */
  replaceUsers(
    node: ServerNode,
    loaded: ReadonlyMap<string, User>,
    current: Client | undefined,
  ): void {
    this.defaultUser.copyRulesFrom(loaded.get('default') ?? AclState.freshDefault());
    const old = [...this.users.values()].filter((user) => user !== this.defaultUser);
    this.users.clear();
    for (const [name, user] of loaded) if (name !== 'default') this.users.set(name, user);
    this.users.set('default', this.defaultUser);
    for (const user of old) this.killClientsOf(node, user, current);
  }

  /** ACLCreateDefaultUser's rules. */
  static freshDefault(): User {
    const user = new User('default');
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(rule);
    return user;
  }

  /** Applies `requirepass` to the default user when it changed (at start and on CONFIG SET). */
  syncRequirepass(requirepass: string): void {
    if (requirepass === this.requirepassApplied) return;
    this.requirepassApplied = requirepass;
    this.defaultUser.apply('resetpass');
    this.defaultUser.apply(requirepass === '' ? 'nopass' : `>${requirepass}`);
  }

  /** Whether a new connection must AUTH first (Redis's authRequired for a fresh client). */
  defaultNeedsAuth(): boolean {
    return !this.defaultUser.nopass || !this.defaultUser.enabled;
  }

  userOf(client: Client): User {
    return client.aclUser ?? this.defaultUser;
  }

  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  /** ACLCheckUserCredentials: a missing user, a disabled one or a wrong password all fail. */
  checkCredentials(username: string, password: Buffer): User | undefined {
    const user = this.users.get(username);
    if (user === undefined || !user.enabled) return undefined;
    return user.checkPassword(password) ? user : undefined;
  }

  /**
   * ACLFreeUserAndKillClients for every client of `user`: the current client is closed after its
   * reply, the others at once.
   */
  killClientsOf(node: ServerNode, user: User, current: Client | undefined): void {
    for (const client of [...node.clients.values()]) {
      if (client.aclUser !== user) continue;
      client.aclUser = undefined;
      client.authenticated = false;
      if (client === current) client.closing = true;
      else node.closeClient(client);
    }
  }

  /**
   * ACLKillPubsubClientsIfNeeded: after `user`'s channels shrank, close its subscribed clients
   * whose subscriptions the new rules no longer allow.
   */
  killRevokedSubscribers(node: ServerNode, user: User, updated: User): void {
    if (updated.selectors.some((s) => s.allChannels)) return;
    const upcoming = updated.selectors.flatMap((s) => s.channels);
    const widened =
      !user.selectors.some((s) => s.allChannels) &&
      user.selectors.every((s) => s.channels.every((c) => upcoming.includes(c)));
    if (widened) return;
    for (const client of [...node.clients.values()]) {
      if (this.userOf(client) !== user || client.subscriptions.total === 0) continue;
      const { channels, patterns, shardChannels } = client.subscriptions;
      const revoked =
        [...patterns].some((p) => !channelAllowed(upcoming, p, true)) ||
        [...channels, ...shardChannels].some((c) => !channelAllowed(upcoming, c, false));
      if (revoked) node.closeClient(client);
    }
  }

  /** addACLLogEntry: a new entry, or one more occurrence of a matching recent one. */
  addLogEntry(
    node: ServerNode,
    client: Client,
    entry: Omit<AclLogEntry, 'count' | 'ctimeMs' | 'clientInfo'>,
  ): void {
    const ctimeMs = node.env.clock.wallMs();
    const clientInfo = clientInfoLine(node, client);
    const scanned = this.log.slice(0, ACL_LOG_GROUPING_SCAN_MAX);
    const matchIndex = scanned.findIndex(
      (e) =>
        e.reason === entry.reason &&
        e.context === entry.context &&
        Math.abs(e.ctimeMs - ctimeMs) <= ACL_LOG_GROUPING_MAX_TIME_DELTA_MS &&
        e.object === entry.object &&
        e.username === entry.username,
    );
    const match = matchIndex < 0 ? undefined : this.log[matchIndex];
    if (match !== undefined) {
      this.log.splice(matchIndex, 1);
      match.count++;
      match.ctimeMs = ctimeMs;
      match.clientInfo = clientInfo;
      this.log.unshift(match);
      return;
    }
    this.log.unshift({ ...entry, count: 1, ctimeMs, clientInfo });
    const max = Number(node.config.stored['acllog-max-len'] ?? '128');
    if (this.log.length > max) this.log.length = max;
  }
}
