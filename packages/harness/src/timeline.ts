/**
 * A scenario's timeline: what happened, when (simulated time), and to whom, printed as the story a
 * reader follows. Entries are kept in the order they were recorded, which in a simulation is the
 * order events happened.
 */
export interface TimelineEntry {
  readonly atMs: number;
  /** Who acted or was acted on: a node, a client, the fault injector. */
  readonly actor: string;
  readonly text: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly originMs: number;

  constructor(originMs: number) {
    this.originMs = originMs;
  }

  add(atMs: number, actor: string, text: string): void {
    this.entries.push({ atMs: atMs - this.originMs, actor, text });
  }

  /** One line per entry: `  1.234s  actor   text`, continuation lines indented under the text. */
  render(): string {
    const actorWidth = Math.max(6, ...this.entries.map((entry) => entry.actor.length));
    return this.entries
      .map((entry) => {
        const time = `${(entry.atMs / 1000).toFixed(3)}s`.padStart(9);
        const [first, ...rest] = entry.text.split('\n');
        const indent = ' '.repeat(9 + 2 + actorWidth + 2);
        return [
          `${time}  ${entry.actor.padEnd(actorWidth)}  ${first}`,
          ...rest.map((line) => indent + line),
        ].join('\n');
      })
      .join('\n');
  }
}
