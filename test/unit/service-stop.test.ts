import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type ServiceStopOptions, stopLikeAService } from '../../local/service-stop.js';

// The real signals, npm and ports are in test/integration/local-service.test.ts; here the
// timing rules, with an EventEmitter standing in for the process's signals.

function service(overrides: Partial<ServiceStopOptions> & { stop: () => Promise<void> }) {
  const signals = new EventEmitter();
  const printed: string[] = [];
  const exits: number[] = [];
  const stop = stopLikeAService({
    print: (line) => printed.push(line),
    exit: (code) => exits.push(code),
    signals: signals as unknown as ServiceStopOptions['signals'],
    timeoutMs: 10_000,
    repeatMs: 40,
    ...overrides,
  });
  const send = (signal: NodeJS.Signals) => signals.emit(signal, signal);
  return { stop, send, signals, printed, exits };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pending() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('stopping like a service', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'on %s stops everything, says so in one line, then exits 0',
    async (signal) => {
      let stops = 0;
      const s = service({
        stop: async () => {
          stops++;
        },
      });
      s.send(signal);
      await sleep(0);
      expect(stops).toBe(1);
      expect(s.printed).toEqual([
        `${signal}: stopping the local pipeline (send it again to exit at once)`,
        'stopped',
      ]);
      expect(s.exits).toEqual([0]);
      expect(s.signals.listenerCount(signal)).toBe(0);
    },
  );

  it('counts the same signal delivered twice at once (a terminal and npm both pass on Ctrl-C) as one', async () => {
    const stopping = pending();
    let stops = 0;
    const s = service({
      stop: () => {
        stops++;
        return stopping.promise;
      },
    });
    s.send('SIGINT');
    s.send('SIGINT');
    expect(stops).toBe(1);
    expect(s.exits).toEqual([]);
    stopping.resolve();
    await sleep(0);
    expect(s.exits).toEqual([0]);
  });

  it('exits at once, with 128 + the signal number, on a second signal while stopping', async () => {
    const s = service({ stop: () => pending().promise });
    s.send('SIGTERM');
    await sleep(60);
    s.send('SIGINT');
    expect(s.printed.at(-1)).toBe('SIGINT again: exiting now');
    expect(s.exits).toEqual([130]);
  });

  it('exits 1 when stopping takes longer than its time limit', async () => {
    const s = service({ stop: () => pending().promise, timeoutMs: 30 });
    s.send('SIGTERM');
    await sleep(60);
    expect(s.printed.at(-1)).toBe('not stopped after 0.03 s; exiting');
    expect(s.exits).toEqual([1]);
  });

  it('exits 1 and names the error class when stopping fails', async () => {
    const s = service({
      stop: async () => {
        throw new RangeError('emulator said no');
      },
    });
    s.send('SIGTERM');
    await sleep(0);
    expect(s.printed.at(-1)).toBe('stopping failed (RangeError); exiting');
    expect(s.exits).toEqual([1]);
  });

  it('stops once the process that launched it (npm) is gone, and not before', async () => {
    let parent = 4242;
    let stops = 0;
    const s = service({
      stop: async () => {
        stops++;
      },
      launcher: { pid: 4242, currentParent: () => parent, checkEveryMs: 5 },
    });
    await sleep(30);
    expect(stops).toBe(0);
    parent = 1;
    await sleep(30);
    expect(stops).toBe(1);
    expect(s.printed[0]).toBe(
      'npm (process 4242) is gone: stopping the local pipeline (send it again to exit at once)',
    );
    expect(s.exits).toEqual([0]);
  });
});
