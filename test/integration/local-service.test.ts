import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures.js';
import { MAILBOX } from './local-pipeline-support.js';

// `npm start` exactly as the README gives it, on free ports, stopped the way a service is:
// by a signal to the PID npm reports. Every port must be free within 5 s, and the node
// process npm started must be gone (it holds the SES emulator's private port too).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FREE_PORTS = ['--smtp-port', '0', '--aws-port', '0', '--ses-port', '0', '--dynamodb-port', '0'];
const READY_TIMEOUT_MS = 60_000;
const STOP_WITHIN_MS = 5_000;
const TEST_TIMEOUT_MS = READY_TIMEOUT_MS + 15_000;

interface Started {
  npm: ChildProcess;
  /** The process npm started (the banner names it). */
  pid: number;
  ports: { smtp: number; ses: number; aws: number; dynamodb: number };
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `npm start -- <free ports>` in a process group of its own, as a terminal runs a
 * command, so that whatever a failed test leaves running in it can be killed at its end.
 */
async function npmStart(onTestFinished: (cleanUp: () => void) => void): Promise<Started> {
  const npm = spawn('npm', ['start', '--', ...FREE_PORTS], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = -(npm.pid ?? 0);
  onTestFinished(() => {
    if (isAlive(group)) process.kill(group, 'SIGKILL');
  });
  let stderr = '';
  npm.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  npm.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!/one line per mail/.test(stderr)) {
    if (Date.now() > deadline || npm.exitCode !== null) {
      throw new Error(`npm start did not get ready:\n${stderr}`);
    }
    await sleep(50);
  }
  const port = (pattern: RegExp) => Number(pattern.exec(stderr)?.[1]);
  const started: Started = {
    npm,
    pid: Number(/running as process (\d+)/.exec(stderr)?.[1]),
    ports: {
      smtp: port(/smtp:\/\/127\.0\.0\.1:(\d+)/),
      ses: port(/see replies at\s+http:\/\/127\.0\.0\.1:(\d+)/),
      aws: port(/S3\/SQS\/SNS\s+http:\/\/127\.0\.0\.1:(\d+)/),
      dynamodb: port(/DynamoDB http:\/\/127\.0\.0\.1:(\d+)/),
    },
    stderr: () => stderr,
    exited,
  };
  return started;
}

/** Sends `signal` to npm's PID and measures how long until the pipeline's process is gone and its ports free. */
async function stopWith(started: Started, signal: NodeJS.Signals) {
  const sentAt = Date.now();
  process.kill(started.npm.pid ?? 0, signal);
  const ports = Object.values(started.ports);
  while (Date.now() - sentAt < STOP_WITHIN_MS) {
    if (!isAlive(started.pid) && (await Promise.all(ports.map(isFree))).every(Boolean)) break;
    await sleep(50);
  }
  return {
    ms: Date.now() - sentAt,
    alive: isAlive(started.pid),
    taken: (await Promise.all(ports.map(async (port) => ((await isFree(port)) ? null : port)))).filter(
      (port) => port !== null,
    ),
    npm: await Promise.race([started.exited, sleep(1_000).then(() => 'still running')]),
  };
}

describe('npm start as a service', () => {
  it.concurrent(
    'stops on SIGTERM to the PID npm reports, with a client still connected, and frees every port within 5 s',
    async ({ onTestFinished }) => {
      const started = await npmStart(onTestFinished);
      for (const port of Object.values(started.ports)) expect(await isFree(port)).toBe(false);
      // A mail program keeps its SMTP connection open between mails.
      const client = createTransport({
        host: '127.0.0.1',
        port: started.ports.smtp,
        pool: true,
        ignoreTLS: true,
      });
      await client.sendMail({
        envelope: { from: 'anna@gmail.com', to: [MAILBOX] },
        raw: fixture('general-question-en.eml'),
      });

      const stopped = await stopWith(started, 'SIGTERM');
      client.close();
      expect(stopped).toMatchObject({ alive: false, taken: [], npm: { code: 0 } });
      expect(stopped.ms).toBeLessThan(STOP_WITHIN_MS);
      expect(started.stderr()).toContain('SIGTERM: stopping the local pipeline');
      expect(started.stderr()).toMatch(/\nstopped\n/);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent.for([
    ['on SIGINT to the PID npm reports', 'SIGINT', { code: 0 }, /SIGINT: stopping the local pipeline/],
    // npm passes SIGHUP on to nobody and dies of it: the pipeline sees npm gone.
    ['when SIGHUP ends npm', 'SIGHUP', { signal: 'SIGHUP' }, /npm \(process \d+\) is gone: stopping/],
  ] as const)(
    'stops %s and frees every port within 5 s',
    { timeout: TEST_TIMEOUT_MS },
    async ([, signal, npm, said], { onTestFinished }) => {
      const started = await npmStart(onTestFinished);
      const stopped = await stopWith(started, signal);
      expect(stopped).toMatchObject({ alive: false, taken: [], npm });
      expect(started.stderr()).toMatch(said);
      expect(started.stderr()).not.toContain('again: exiting now');
    },
  );
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
