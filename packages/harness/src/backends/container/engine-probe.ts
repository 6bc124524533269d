/**
 * Is a Docker engine reachable? The container backend asks before it loads testcontainers (whose
 * import alone costs time, and which fails with a long message when no runtime exists). The probe
 * is cheap and synchronous: the socket named by DOCKER_HOST (unix:// only; a tcp:// host is taken
 * on trust and testcontainers decides), else /var/run/docker.sock, must exist as a socket file.
 * `reason` is one line for the user either way.
 */
import { statSync } from 'node:fs';

export const DOCKER_SOCKET_DEFAULT = '/var/run/docker.sock';

export interface EngineProbe {
  readonly ok: boolean;
  readonly reason: string;
}

export function probeContainerEngine(env: NodeJS.ProcessEnv = process.env): EngineProbe {
  const host = env['DOCKER_HOST'];
  if (host !== undefined && host !== '' && !host.startsWith('unix://')) {
    return { ok: true, reason: `DOCKER_HOST=${host} (not probed: a remote engine)` };
  }
  const path =
    host?.startsWith('unix://') === true ? host.slice('unix://'.length) : DOCKER_SOCKET_DEFAULT;
  try {
    if (statSync(path).isSocket()) return { ok: true, reason: `a Docker socket at ${path}` };
    return { ok: false, reason: `${path} exists but is not a socket` };
  } catch {
    return {
      ok: false,
      reason: `no Docker engine: no socket at ${path}${host === undefined ? ' (DOCKER_HOST is not set)' : ''}`,
    };
  }
}
