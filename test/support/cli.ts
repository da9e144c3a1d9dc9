import { Readable } from 'node:stream';
import { main } from '../../functions/cli/main.js';

/** Runs the triage CLI in-process; standard input is the bytes given, or a stream made per read. */
export async function runCli(args: string[], stdin: Buffer | (() => Readable) = Buffer.alloc(0)) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
      return true;
    },
    stderr: (text) => {
      stderr += text;
      return true;
    },
    stdin: typeof stdin === 'function' ? stdin : () => Readable.from([stdin]),
  });
  return { code, stdout, stderr };
}
