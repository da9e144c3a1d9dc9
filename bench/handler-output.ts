// The handlers write one JSON log line and EMF metric lines per mail: thousands in a
// pipeline run. They are still written (and so still cost what they cost in Lambda), but
// counted here instead of shown; anything that is not a JSON line goes to the terminal.

export interface HandlerOutput {
  /** JSON lines written by the handlers (logs and EMF metrics). */
  readonly lines: number;
  /** Of those, log lines at level ERROR (a failure that sends its message back to the queue). */
  readonly errors: number;
  restore(): void;
}

export function countHandlerOutput(): HandlerOutput {
  const original = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  let lines = 0;
  let errors = 0;
  const capture =
    (passOn: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const other: string[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        if (line.startsWith('{') && line.endsWith('}')) {
          lines++;
          if (line.includes('"level":"ERROR"')) errors++;
        } else {
          other.push(line);
        }
      }
      if (other.length > 0) passOn(`${other.join('\n')}\n`);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = capture(original.out) as typeof process.stdout.write;
  process.stderr.write = capture(original.err) as typeof process.stderr.write;
  return {
    get lines() {
      return lines;
    },
    get errors() {
      return errors;
    },
    restore() {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    },
  };
}
