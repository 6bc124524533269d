/**
 * Error texts as Lua 5.1 words them, where fengari's Lua 5.3 words them differently.
 */

/**
 * Lua 5.1 quotes every token in a syntax error (`near '<eof>'`, `'<name>' expected`); Lua 5.3
 * leaves the <eof>, <name>, <string> and <number> placeholders bare.
 */
export function quoteTokens51(message: string): string {
  return message.replace(/(?<!')<(eof|name|string|number|integer)>(?!')/g, "'<$1>'");
}

/**
 * Lua 5.3 words runtime errors as "attempt to call a nil value (local 'x')"; Lua 5.1 as "attempt
 * to call local 'x' (a nil value)" (the prelude's fix51 does the same inside the VM).
 */
export function wordRuntimeError51(message: string): string {
  return message.replace(
    /attempt to ([a-z ]*?) an? ([a-z]+) value \(([a-z]+) '([^']*)'\)/g,
    "attempt to $1 $3 '$4' (a $2 value)",
  );
}
