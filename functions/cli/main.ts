import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { composeForward } from '../core/compose-forward.js';
import { composeReply } from '../core/compose-reply.js';
import { ConfigInvalid, type TriageConfig } from '../core/config.js';
import { parseMail } from '../core/parse.js';
import { receiptTimeFromHeaders } from '../core/receipt-time.js';
import { type TriageResult, triageParsed } from '../core/triage.js';
import { DEFAULT_MAX_FORWARD_BYTES } from '../runtime/environment.js';
import { loadConfigFile } from './config-file.js';
import { parseIsoDateTime } from './iso-date.js';
import { showMail } from './show-mail.js';

const USAGE = `usage: triage classify [--received ISO-8601] [--config FILE] FILE...
       triage reply   [--received ISO-8601] [--config FILE] [--raw] FILE
       triage forward [--received ISO-8601] [--config FILE] [--raw] FILE
FILE may be - for standard input. reply and forward print what the citizen or the
owners would get: headers and decoded text, or with --raw the MIME as sent.`;

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
  const { command, files, received, config, raw } = options;
  let failed = 0;
  for (const file of files) {
    try {
      const { result, bytes } = await readAndTriage(file, received, config, io.stdin, command === 'forward');
      if (command === 'classify') {
        io.stdout(`${JSON.stringify(result.record)}\n`);
        continue;
      }
      const mail =
        command === 'reply' ? await replyOf(result, config) : await forwardOf(result, bytes, config);
      if (typeof mail === 'string') io.stdout(mail);
      else io.stdout(raw ? mail.toString('utf8') : await showMail(mail));
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

/** The reply's MIME, or the line saying why none is sent. */
async function replyOf(result: TriageResult, config: TriageConfig): Promise<Buffer | string> {
  if (!result.replyJob) return `suppressed: ${result.record.autoReply.reason}\n`;
  return composeReply(result.replyJob, config, new Date());
}

/** The forward's MIME as deliver builds it, or the line saying why none is sent. */
async function forwardOf(
  result: TriageResult,
  bytes: Buffer | null,
  config: TriageConfig,
): Promise<Buffer | string> {
  const { record } = result;
  const owners = config.forward[record.topic] ?? [];
  if (owners.length === 0) {
    return `not forwarded: no owners configured for topic ${record.topic} (name them under "forward" in a --config file)\n`;
  }
  // Deliver attaches the original only up to what SES will send; so does this, and never a
  // mail the parser cut off at the size limit (what was read of it is not the original).
  const cut = record.parseErrors.some((error) => error.startsWith('size-limit-exceeded'));
  const raw = bytes && !cut && bytes.length <= DEFAULT_MAX_FORWARD_BYTES ? bytes : null;
  return composeForward({ record, raw, owners, config }, new Date());
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

interface Options {
  command: 'classify' | 'reply' | 'forward';
  files: string[];
  received: Date | null;
  config: TriageConfig;
  /** reply and forward: print the MIME as sent instead of headers and decoded text. */
  raw: boolean;
}

async function readOptions(argv: string[]): Promise<Options> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [command, ...files] = parsed.positionals;
  if (command !== 'classify' && command !== 'reply' && command !== 'forward')
    throw new UsageError(`unknown command '${command ?? ''}'\n${USAGE}`);
  if (files.length === 0) throw new UsageError(`no input files\n${USAGE}`);
  if (command !== 'classify' && files.length !== 1) throw new UsageError(`${command} takes exactly one FILE`);
  const raw = parsed.values.raw === true;
  if (raw && command === 'classify') throw new UsageError('--raw is for reply and forward');
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
  return { command, files, received, config, raw };
}

function parseCli(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { received: { type: 'string' }, config: { type: 'string' }, raw: { type: 'boolean' } },
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
  return (await readAndTriage(file, received, config, stdin, false)).result;
}

/** Triages one file; with `keepBytes`, also returns the mail as read (a forward attaches it). */
async function readAndTriage(
  file: string,
  received: Date | null,
  config: TriageConfig,
  stdin: () => Readable,
  keepBytes: boolean,
): Promise<{ result: TriageResult; bytes: Buffer | null }> {
  if (file !== '-') await checkReadable(file);
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
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
    if (keepBytes) kept.push(bytes);
    return bytes;
  });
  const mail = await parseMail(Readable.from(tapped), config.limits);
  if (readError) throw new FileFailed(`read failed (${readError.code ?? 'error'})`);
  const receivedAt = received ?? receiptTimeFromHeaders(mail.headerLines, mail.date) ?? new Date();
  const result = triageParsed(
    mail,
    { sesMessageId: `local-${hash.digest('hex').slice(0, 32)}`, receivedAt },
    config,
  );
  return { result, bytes: keepBytes ? Buffer.concat(kept) : null };
}

function defaultIo() {
  return {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    stdin: (): Readable => process.stdin,
  };
}
