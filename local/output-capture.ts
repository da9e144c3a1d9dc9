import { StringDecoder } from 'node:string_decoder';

// The functions log one JSON line per event and write CloudWatch metrics as EMF JSON lines
// to stdout, as they do in Lambda. The live log, the test harness and the benchmark each
// take those lines off the terminal while the real handlers run in this process; this is
// the one place that does it.

export type OutputStream = 'stdout' | 'stderr';

/** What a captured line is: a log line, an EMF metric line, or anything else. */
export type LineKind = 'log' | 'metric' | 'other';

export interface OutputCapture {
  /** Writes past this capture, to whatever the stream wrote to before it was installed. */
  passOn(stream: OutputStream, text: string): void;
  /** Hands on a trailing unfinished line, then puts the streams' own write back. */
  restore(): void;
}

type Write = typeof process.stdout.write;

/**
 * Sends every whole line written to `streams` to `onLine` instead of the terminal. Lines
 * written in pieces are joined first (a chunk may even end inside a UTF-8 character), and
 * a write's callback is called, as the stream would, so nothing waits on it.
 */
export function captureOutput(
  onLine: (line: string, stream: OutputStream) => void,
  streams: readonly OutputStream[] = ['stdout', 'stderr'],
): OutputCapture {
  const originals = new Map<OutputStream, Write>();
  const flushes: Array<() => void> = [];
  for (const name of streams) {
    const stream = process[name];
    originals.set(name, stream.write);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const take = (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(line.replace(/\r$/, ''), name);
    };
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
      take(
        typeof chunk === 'string'
          ? encoding && encoding !== 'utf8' && encoding !== 'utf-8'
            ? Buffer.from(chunk, encoding).toString('utf8')
            : chunk
          : decoder.write(Buffer.from(chunk)),
      );
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }) as Write;
    flushes.push(() => {
      const rest = `${pending}${decoder.end()}`;
      pending = '';
      if (rest.trim() !== '') onLine(rest, name);
    });
  }
  return {
    passOn(name, text) {
      const write = originals.get(name) ?? process[name].write;
      write.call(process[name], text);
    },
    restore() {
      for (const flush of flushes.splice(0)) flush();
      for (const [name, write] of originals) process[name].write = write;
      originals.clear();
    },
  };
}

/**
 * EMF (CloudWatch embedded metric format) puts its metadata under `_aws`; Powertools' JSON
 * log lines carry `level` and `message`. Neither is ever written in pieces on one line with
 * other text, so a line that is not one JSON object is someone else's.
 */
export function lineKind(line: string): LineKind {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return 'other';
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'other';
    return '_aws' in value ? 'metric' : 'log';
  } catch {
    return 'other';
  }
}
