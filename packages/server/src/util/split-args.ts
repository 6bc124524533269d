/**
 * Splits a config-file line the way Redis's `sdssplitargs` does: words separated by blanks, double
 * quotes with C escapes (\n \r \t \b \a \\ \" \xHH), single quotes with only \' as an escape. A
 * closing quote must be followed by a blank or the end of the line. Returns null on unbalanced quotes.
 */

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\0';
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (isBlank(line[i])) i++;
    if (i >= line.length) return args;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const ch = line[i];
      if (inDouble) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (ch === '\\' && line[i + 1] !== undefined) {
          i++;
          const escaped = line[i] ?? '';
          current += ESCAPES[escaped] ?? escaped;
        } else if (ch === '"') {
          if (!isBlank(line[i + 1]) && line[i + 1] !== undefined) return null;
          inDouble = false;
          i++;
          break;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (ch === undefined) return null;
        if (ch === '\\' && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (ch === "'") {
          if (!isBlank(line[i + 1]) && line[i + 1] !== undefined) return null;
          inSingle = false;
          i++;
          break;
        } else {
          current += ch;
        }
      } else if (ch === undefined || isBlank(ch)) {
        break;
      } else if (ch === '"') {
        inDouble = true;
      } else if (ch === "'") {
        inSingle = true;
      } else {
        current += ch;
      }
      i++;
    }
    args.push(current);
  }
}
