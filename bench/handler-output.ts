// The handlers write one JSON log line and EMF metric lines per mail: thousands in a
// pipeline run. They are still written (and so still cost what they cost in Lambda), but
// counted here instead of shown; anything that is not a JSON line goes to the terminal.

import { captureOutput, lineKind } from '../local/output-capture.js';

export interface HandlerOutput {
  /** JSON lines written by the handlers (logs and EMF metrics). */
  readonly lines: number;
  /** Of those, log lines at level ERROR (a failure that sends its message back to the queue). */
  readonly errors: number;
  restore(): void;
}

export function countHandlerOutput(): HandlerOutput {
  let lines = 0;
  let errors = 0;
  const capture = captureOutput((line, stream) => {
    if (lineKind(line) === 'other') {
      capture.passOn(stream, `${line}\n`);
      return;
    }
    lines++;
    if (line.includes('"level":"ERROR"')) errors++;
  });
  return {
    get lines() {
      return lines;
    },
    get errors() {
      return errors;
    },
    restore: () => capture.restore(),
  };
}
