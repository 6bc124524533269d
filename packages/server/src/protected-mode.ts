/**
 * Protected mode, as Redis 7.0 applies it when a connection is accepted (networking.c,
 * clientAcceptHandler): while `protected-mode` is yes and the default user has no password
 * (the `nopass` flag: `requirepass` empty and none set by ACL SETUSER), only loopback clients are served; any other gets PROTECTED_MODE_DENIED and
 * is closed, without a log line. Redis 7.0 no longer exempts an explicit `bind` (6.x did): the rule
 * looks only at the two settings and the peer's address, so a node bound to 0.0.0.0 that other hosts
 * must reach needs `protected-mode no` or a password. node.ts calls this for every accepted
 * connection, after the maxclients check, as Redis does.
 */
import type { ServerConfig } from './config/server-config.js';

/** Redis 7.0.15's reply to a refused client, byte for byte (typos included). */
export const PROTECTED_MODE_DENIED: Buffer = Buffer.from(
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n",
  'latin1',
);

/**
 * Redis's connIsLocal for a TCP peer: an address in 127.0.0.0/8 or ::1. Node reports an IPv4 peer
 * of a dual-stack listener as `::ffff:a.b.c.d`, which is the same IPv4 peer.
 */
export function isLoopbackAddress(address: string): boolean {
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
}

/**
 * Whether a connection from `remoteAddress` must be refused under the current configuration;
 * `defaultNopass` is whether the default ACL user needs no password (requirepass empty and no
 * ACL SETUSER default >password).
 */
export function protectedModeRefuses(
  config: ServerConfig,
  defaultNopass: boolean,
  remoteAddress: string,
): boolean {
  if (!config.protectedMode) return false;
  if (!defaultNopass) return false;
  return !isLoopbackAddress(remoteAddress);
}
