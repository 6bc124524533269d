/**
 * Script flags and the `#!lua flags=...` shebang line (eval.c's evalExtractShebangFlags and
 * script.c's scripts_flags_def). A script without a shebang runs in EVAL compatibility mode: it
 * may write, and the write checks happen per command inside it.
 */
export const SCRIPT_FLAG_NAMES = [
  'no-writes',
  'allow-oom',
  'allow-stale',
  'no-cluster',
  'allow-cross-slot-keys',
] as const;

export type ScriptFlagName = (typeof SCRIPT_FLAG_NAMES)[number];

export interface ScriptFlags {
  readonly names: ReadonlySet<ScriptFlagName>;
  /** No shebang: EVAL's compatibility mode (SCRIPT_FLAG_EVAL_COMPAT_MODE). */
  readonly compat: boolean;
}

export const COMPAT_FLAGS: ScriptFlags = { names: new Set(), compat: true };

export type ShebangResult =
  | { readonly ok: true; readonly flags: ScriptFlags; readonly shebangBytes: number }
  | { readonly ok: false; readonly error: string };

function isFlagName(name: string): name is ScriptFlagName {
  return (SCRIPT_FLAG_NAMES as readonly string[]).includes(name);
}

/** Reads the shebang of `body`, if any; the script's code starts after `shebangBytes`. */
export function extractShebang(body: Buffer): ShebangResult {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) {
    return { ok: true, flags: COMPAT_FLAGS, shebangBytes: 0 };
  }
  const end = body.indexOf(0x0a);
  if (end < 0) return { ok: false, error: 'ERR Invalid script shebang' };
  const parts = body
    .subarray(0, end)
    .toString('latin1')
    .split(/[ \t\r]+/)
    .filter((p) => p !== '');
  const engine = parts[0];
  if (engine === undefined) return { ok: false, error: 'ERR Invalid engine in script shebang' };
  if (engine !== '#!lua') {
    return { ok: false, error: `ERR Unexpected engine in script shebang: ${engine}` };
  }
  const names = new Set<ScriptFlagName>();
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) {
      return { ok: false, error: `ERR Unknown lua shebang option: ${part}` };
    }
    for (const flag of part.slice(6).split(',')) {
      if (flag === '') continue;
      if (!isFlagName(flag)) {
        return { ok: false, error: `ERR Unexpected flag in script shebang: ${flag}` };
      }
      names.add(flag);
    }
  }
  return { ok: true, flags: { names, compat: false }, shebangBytes: end };
}
