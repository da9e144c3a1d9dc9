import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { sleep } from './stats.js';

// Runs in a fresh process (started by bench/cold-start.ts): imports one bundle and prints
// how long the import (module initialisation) took. With `guard`, every attempt to open a
// connection or resolve a name is recorded instead, and the process stays up a moment
// longer, so a call started at init without being awaited is caught too.

export interface InitProbeResult {
  initMs: number;
  handlerIsFunction: boolean;
  /** host:port or host of each attempt; only with `guard`. */
  networkAttempts: string[];
}

const [bundle, mode] = process.argv.slice(2);
if (!bundle) throw new Error('usage: init-probe <bundle.mjs> [guard]');

const networkAttempts: string[] = [];
if (mode === 'guard') {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    // net.connect() passes its arguments already normalised, as [options, callback].
    const [first, second] = (Array.isArray(args[0]) ? args[0] : args) as [unknown, unknown];
    const options = (typeof first === 'object' && first !== null ? first : {}) as {
      host?: string;
      path?: string;
      port?: number;
    };
    networkAttempts.push(
      typeof first === 'object'
        ? `connect ${options.host ?? options.path ?? '?'}:${options.port ?? ''}`
        : `connect ${String(second ?? 'localhost')}:${String(first)}`,
    );
    // Closed without an error: the caller sees a dropped connection, as on a network that
    // refuses, and the probe lives on to report.
    this.destroy();
    return this;
  } as typeof connect;
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    networkAttempts.push(`dns ${hostname}`);
    const callback = rest.find((arg) => typeof arg === 'function') as ((error: Error) => void) | undefined;
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    if (callback) process.nextTick(() => callback(error));
  }) as typeof dns.lookup;
  dns.promises.lookup = ((hostname: string) => {
    networkAttempts.push(`dns ${hostname}`);
    return Promise.reject(new Error(`getaddrinfo ENOTFOUND ${hostname}`));
  }) as typeof dns.promises.lookup;
  syncBuiltinESMExports();
  // Whatever a refused call throws later is not the probe's concern: the attempt is recorded.
  process.on('uncaughtException', (error) => networkAttempts.push(`uncaught ${error.name}`));
  process.on('unhandledRejection', () => networkAttempts.push('unhandled rejection'));
}

const started = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
const initMs = performance.now() - started;
if (mode === 'guard') await sleep(300);

const result: InitProbeResult = {
  initMs,
  handlerIsFunction: typeof module.handler === 'function',
  networkAttempts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
