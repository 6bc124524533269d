/**
 * Parses a scenario file's text: YAML (the `yaml` library, which keeps every node's source range)
 * validated against the schema (schema.ts, zod). Every mistake becomes a ScenarioFileError naming
 * the file, the line and the field, and saying what was expected; the CLI prints it and exits 2.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type ScenarioFile, validateScenarioData } from './schema.js';

export class ScenarioFileError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/** The parsed and validated file; throws ScenarioFileError. */
export function parseScenarioText(text: string, file: string): ScenarioFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const line = lineCounter.linePos(yamlError.pos[0]).line;
    throw new ScenarioFileError(file, line, `not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const result = validateScenarioData(doc.toJS());
  if (result.ok) return result.file;
  const issue = result.issues[0] as z.core.$ZodIssue;
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const lineOf = (at: readonly (string | number)[]): number => {
    for (let depth = at.length; depth >= 0; depth--) {
      const node = doc.getIn(at.slice(0, depth), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return 1;
  };
  let where = path;
  // An unknown key: point at the key itself, and name it.
  if (issue.code === 'unrecognized_keys') where = [...path, ...issue.keys.slice(0, 1)];
  const field = fieldName(where);
  return fail(file, lineOf(where), `${field === '' ? 'the file' : field}: ${describe(issue)}`);
}

function fail(file: string, line: number, message: string): never {
  throw new ScenarioFileError(file, line, message);
}

/** `steps[3].partition` */
function fieldName(path: readonly (string | number)[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('');
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_union':
      return 'none of the accepted forms (see docs/scenarios.md for this field)';
    default:
      return issue.message;
  }
}
