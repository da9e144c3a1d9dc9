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

/** One input file could not be triaged; the others still are. */
class FileFailed extends Error {
  override readonly name = 'FileFailed';
}

/**
 * Exit codes: 0 every file gave its output; 1 some file failed (each named on stderr, the
 * others still printed) or an internal error; 2 bad usage or configuration, nothing read.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export async function main(argv: string[], io = defaultIo()): Promise<number> {
  let options: Options;
  try {
    options = await readOptions(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigInvalid) {
      io.stderr(`triage: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`triage: internal error (${errorName(error)})\n`);
    return EXIT.failed;
  }
  const { command, files, received, config } = options;
  let failed = 0;
  for (const file of files) {
    try {
      const result = await triageFile(file, received, config, io.stdin);
      if (command === 'classify') {
        io.stdout(`${JSON.stringify(result.record)}\n`);
      } else if (result.replyJob) {
        io.stdout((await composeReply(result.replyJob, config, new Date())).toString('utf8'));
      } else {
        io.stdout(`suppressed: ${result.record.autoReply.reason}\n`);
      }
    } catch (error) {
      // One line naming the file, then on with the next: one bad mail must not hide the
      // others. An unexpected error is a bug; its class is named, never mail content.
      failed++;
      const reason = error instanceof FileFailed ? error.message : `internal error (${errorName(error)})`;
      io.stderr(`triage: ${file}: ${reason}\n`);
    }
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
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

async function checkReadable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw new FileFailed(`cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!(await stat(file)).isFile()) throw new FileFailed('not a regular file');
}

/** Triages one file as `classify` does; `npm run eval` uses it so the evaluation measures the CLI's path. */
export async function triageFile(
  file: string,
  received: Date | null,
  config: TriageConfig,
  stdin: () => Readable = () => process.stdin,
): Promise<TriageResult> {
  if (file !== '-') await checkReadable(file);
  const hash = createHash('sha256');
  const source = file === '-' ? stdin() : createReadStream(file);
  // The parser records a broken read as a parse error; for a file given by hand that is a
  // failure to report, not a mail to print half of (intake retries the same way).
  let readError: NodeJS.ErrnoException | undefined;
  source.on('error', (error: NodeJS.ErrnoException) => {
    readError ??= error;
  });
  // The CLI has no SES message id; a hash of the bytes makes a stable stand-in.
  const tapped = source.map((chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(bytes);
    return bytes;
  });
  const mail = await parseMail(Readable.from(tapped), config.limits);
  if (readError) throw new FileFailed(`read failed (${readError.code ?? 'error'})`);
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
