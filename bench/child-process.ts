import { spawn } from 'node:child_process';

/** A child still running after this long is killed (and the run fails). */
const TIMEOUT_MS = 120_000;

export interface ChildRun<T> {
  result: T;
  /** From spawn to exit, as the parent saw it. */
  wallMs: number;
}

/**
 * Runs `node <args>` in a fresh process and parses the last line of its stdout as JSON.
 * A non-zero exit or unparseable output is an error carrying the child's stderr.
 */
export function runNode<T>(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      stdout += data;
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => {
      stderr += data;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}:\n${stderr.slice(-4000)}`));
        return;
      }
      try {
        resolve({ result: JSON.parse(last) as T, wallMs });
      } catch {
        reject(new Error(`node ${args.join(' ')} printed no JSON result:\n${stdout.slice(-2000)}${stderr}`));
      }
    });
  });
}
