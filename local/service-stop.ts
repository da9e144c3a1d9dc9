import { constants } from 'node:os';

// `npm start` stops like a service: on SIGTERM (`kill PID`, systemd, docker stop), SIGINT
// (Ctrl-C) or SIGHUP (the terminal closed) it stops the pollers, the SMTP listener and the
// emulators, then exits, so every port it held is free.
//
// How a signal gets here: the `start` script `exec`s node, so the process npm spawned is
// this one (sh -c would otherwise stay between them, and dash neither passes a signal on
// nor dies of SIGINT while it waits). npm passes SIGINT and SIGTERM on to it; npm has no
// handler for SIGHUP and dies of it, leaving this process behind, so when npm started us
// we also stop once npm is gone. Ctrl-C reaches both npm and this process, and npm passes
// its copy on: the same signal twice within a moment counts once.

export type StopSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

export interface ServiceStopOptions {
  /** Stops everything the service started; resolves once every port is closed. */
  stop(): Promise<void>;
  print(line: string): void;
  exit(code: number): void;
  /** Where signals come from; `process` unless a test gives its own. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** How long a clean stop may take before the process exits anyway. */
  timeoutMs?: number;
  /** A second signal within this long of the first is the same one delivered twice. */
  repeatMs?: number;
  /** When given, the service stops once this parent process id is no longer its parent's. */
  launcher?: { pid: number; currentParent(): number; checkEveryMs?: number };
}

export interface ServiceStop {
  /** True once a signal (or the launcher's end) has begun the stop. */
  readonly stopping: boolean;
}

export function stopLikeAService(options: ServiceStopOptions): ServiceStop {
  const source = options.signals ?? process;
  const timeoutMs = options.timeoutMs ?? 4_000;
  const repeatMs = options.repeatMs ?? 500;
  let startedAt: number | null = null;
  let watch: NodeJS.Timeout | undefined;

  const begin = (reason: string) => {
    startedAt = Date.now();
    clearInterval(watch);
    options.print(`${reason}: stopping the local pipeline (send it again to exit at once)`);
    const guard = setTimeout(() => {
      options.print(`not stopped after ${timeoutMs / 1000} s; exiting`);
      options.exit(1);
    }, timeoutMs);
    guard.unref();
    options.stop().then(
      () => {
        clearTimeout(guard);
        for (const signal of STOP_SIGNALS) source.off(signal, onSignal);
        options.print('stopped');
        options.exit(0);
      },
      (error: unknown) => {
        clearTimeout(guard);
        options.print(`stopping failed (${(error as Error)?.name ?? 'error'}); exiting`);
        options.exit(1);
      },
    );
  };

  const onSignal = (signal: StopSignal) => {
    if (startedAt === null) return begin(signal);
    if (Date.now() - startedAt < repeatMs) return;
    options.print(`${signal} again: exiting now`);
    options.exit(128 + constants.signals[signal]);
  };
  for (const signal of STOP_SIGNALS) source.on(signal, onSignal);

  const { launcher } = options;
  if (launcher) {
    watch = setInterval(() => {
      if (launcher.currentParent() !== launcher.pid) begin(`npm (process ${launcher.pid}) is gone`);
    }, launcher.checkEveryMs ?? 500);
    watch.unref();
  }

  return {
    get stopping() {
      return startedAt !== null;
    },
  };
}
