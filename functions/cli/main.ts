import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { composeReply } from '../core/compose-reply.js';
import { ConfigInvalid, type TriageConfig } from '../core/config.js';
import { parseMail } from '../core/parse.js';
import { receiptTimeFromHeaders } from '../core/receipt-time.js';
import { type TriageResult, triageParsed } from '../core/triage.js';
import { loadConfigFile } from './config-file.js';
import { parseIsoDateTime } from './iso-date.js';

const USAGE = `usage: triage classify [--received ISO-8601] [--config FILE] FILE...
       triage reply [--received ISO-8601] [--config FILE] FILE
FILE may be - for standard input.`;

/** A problem the user can fix: printed as one line, exit code 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function main(argv: string[], io = defaultIo()): Promise<number> {
  try {
    const { command, files, received, config } = await readOptions(argv);
    await checkReadable(files);
    for (const file of files) {
      const result = await triageFile(file, received, config, io.stdin);
      if (command === 'classify') {
        io.stdout(`${JSON.stringify(result.record)}\n`);
      } else if (result.replyJob) {
        io.stdout((await composeReply(result.replyJob, config, new Date())).toString('utf8'));
      } else {
        io.stdout(`suppressed: ${result.record.autoReply.reason}\n`);
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigInvalid) {
      io.stderr(`triage: ${error.message}\n`);
      return 2;
    }
    // Anything else is a bug; say so without echoing mail content.
    io.stderr(`triage: internal error (${(error as Error).name ?? 'Error'})\n`);
    return 1;
  }
}

interface Options {
  command: 'classify' | 'reply';
  files: string[];
  received: Date | null;
  config: TriageConfig;
}

async function readOptions(argv: string[]): Promise<Options> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [command, ...files] = parsed.positionals;
  if (command !== 'classify' && command !== 'reply')
    throw new UsageError(`unknown command '${command ?? ''}'\n${USAGE}`);
  if (files.length === 0) throw new UsageError(`no input files\n${USAGE}`);
  if (command === 'reply' && files.length !== 1) throw new UsageError('reply takes exactly one FILE');
  if (files.filter((file) => file === '-').length > 1)
    throw new UsageError('standard input (-) can be read once');
  let received: Date | null = null;
  if (parsed.values.received !== undefined) {
    try {
      received = parseIsoDateTime('--received', parsed.values.received);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const config = await loadConfigFile(parsed.values.config);
  return { command, files, received, config };
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { received: { type: 'string' }, config: { type: 'string' } },
  });
}

/** Every path is checked before any output, so a typo fails fast and names its file. */
async function checkReadable(files: string[]): Promise<void> {
  for (const file of files) {
    if (file === '-') continue;
    try {
      await access(file, constants.R_OK);
      if (!(await stat(file)).isFile()) throw new UsageError(`${file}: not a regular file`);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}

/** Triages one file as `classify` does; `npm run eval` uses it so the evaluation measures the CLI's path. */
export async function triageFile(
  file: string,
  received: Date | null,
  config: TriageConfig,
  stdin: () => Readable = () => process.stdin,
): Promise<TriageResult> {
  const hash = createHash('sha256');
  const source = file === '-' ? stdin() : createReadStream(file);
  // The CLI has no SES message id; a hash of the bytes makes a stable stand-in.
  const tapped = source.map((chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(bytes);
    return bytes;
  });
  const mail = await parseMail(Readable.from(tapped), config.limits);
  const receivedAt = received ?? receiptTimeFromHeaders(mail.headerLines, mail.date) ?? new Date();
  return triageParsed(mail, { sesMessageId: `local-${hash.digest('hex').slice(0, 32)}`, receivedAt }, config);
}

function defaultIo() {
  return {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    stdin: (): Readable => process.stdin,
  };
}
