import { describe, expect, it } from 'vitest';
import { captureOutput, lineKind } from '../../local/output-capture.js';

const METRIC = JSON.stringify({
  _aws: {
    Timestamp: 1,
    CloudWatchMetrics: [{ Namespace: 'MailTriage', Dimensions: [['service']], Metrics: [{ Name: 'X' }] }],
  },
  service: 'intake',
  X: 1,
});
const LOG = JSON.stringify({ level: 'INFO', message: 'mail routed', service: 'intake' });

function collect(streams?: Array<'stdout' | 'stderr'>) {
  const lines: Array<[string, string]> = [];
  const capture = captureOutput((line, stream) => lines.push([stream, line]), streams);
  return { lines, capture };
}

describe('the output capture', () => {
  it('hands on whole lines, joined from pieces, with the stream they were written to', () => {
    const { lines, capture } = collect();
    try {
      process.stdout.write(LOG.slice(0, 10));
      process.stdout.write(`${LOG.slice(10)}\n${METRIC}\n`);
      process.stderr.write('a warning\r\n\n');
    } finally {
      capture.restore();
    }
    expect(lines).toEqual([
      ['stdout', LOG],
      ['stdout', METRIC],
      ['stderr', 'a warning'],
    ]);
  });

  it('joins bytes split inside a UTF-8 character', () => {
    const { lines, capture } = collect(['stdout']);
    const bytes = Buffer.from('Spørgsmål om min vaccination\n');
    const cut = bytes.indexOf(Buffer.from('ø')) + 1;
    try {
      process.stdout.write(bytes.subarray(0, cut));
      process.stdout.write(new Uint8Array(bytes.subarray(cut)));
    } finally {
      capture.restore();
    }
    expect(lines).toEqual([['stdout', 'Spørgsmål om min vaccination']]);
  });

  it('hands on an unfinished last line when restored, and puts the streams back', () => {
    const before = { out: process.stdout.write, err: process.stderr.write };
    const { lines, capture } = collect();
    process.stdout.write('no newline yet');
    expect(lines).toEqual([]);
    capture.restore();
    expect(lines).toEqual([['stdout', 'no newline yet']]);
    expect(process.stdout.write).toBe(before.out);
    expect(process.stderr.write).toBe(before.err);
  });

  it('calls a write callback, so a writer waiting for it goes on', async () => {
    const { capture } = collect(['stdout']);
    try {
      await new Promise<void>((resolve) => process.stdout.write('x\n', () => resolve()));
    } finally {
      capture.restore();
    }
  });

  it('keeps captured lines from what was below it, and passes on only what it is given', () => {
    const terminal = collect();
    const inner = collect();
    try {
      process.stdout.write(`${METRIC}\n${LOG}\n`);
      inner.capture.passOn('stderr', 'figure: 12 ms\n');
    } finally {
      inner.capture.restore();
      terminal.capture.restore();
    }
    expect(inner.lines.map(([, line]) => lineKind(line))).toEqual(['metric', 'log']);
    expect(terminal.lines).toEqual([['stderr', 'figure: 12 ms']]);
  });

  it('leaves a stream it was not asked for alone', () => {
    const terminal = collect(['stderr']);
    const inner = collect(['stdout']);
    try {
      process.stderr.write('shown\n');
    } finally {
      inner.capture.restore();
      terminal.capture.restore();
    }
    expect(inner.lines).toEqual([]);
    expect(terminal.lines).toEqual([['stderr', 'shown']]);
  });
});

describe('the kind of a line', () => {
  it('tells EMF metric lines from JSON log lines and from other text', () => {
    expect(lineKind(METRIC)).toBe('metric');
    expect(lineKind(LOG)).toBe('log');
    expect(lineKind('(node:123) Warning: something')).toBe('other');
    expect(lineKind('{not json}')).toBe('other');
    expect(lineKind('[1,2]')).toBe('other');
  });
});
