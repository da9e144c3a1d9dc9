import { parseArgs } from 'node:util';
import { findCaseReference } from '../core/case-reference.js';
import {
  CASE_STATUSES,
  type Case,
  type CaseChange,
  CaseRefused,
  type CaseStatus,
  closeCase,
  extendCase,
} from '../core/cases.js';
import { ConfigInvalid, type TriageConfig } from '../core/config.js';
import { localDate } from '../core/deadline.js';
import { CaseChanged, type CaseRegister } from '../core/ports.js';
import { GDPR_ARTICLE } from '../core/types.js';
import { workingDaysUntil } from '../core/working-days.js';
import { ENV } from '../runtime/environment.js';
import { safeError } from '../runtime/observability.js';
import { loadConfigFile } from './config-file.js';

// `npm run cases`: the data-protection team's view of the case register, and the two
// changes they make by hand: close a case once answered, extend it (GDPR Art. 12(3))
// once the data subject has been told. Every change names who made it.

/** Where the local pipeline's DynamoDB emulator listens; `npm start` prints it. */
export const CASES_ENDPOINT_ENV = 'CASES_ENDPOINT';
/** Who makes a change when `--by` is not given (else the OS user name). */
export const CASES_BY_ENV = 'CASES_BY';
export const LOCAL_CASES_ENDPOINT = 'http://127.0.0.1:8000';

const USAGE = `usage: npm run cases -- <command> [options]
commands:
  list [--status open|extended|closed] [--json]   cases, the soonest due first
  show REF [--json]                               one case with its history
  close REF                                       the request is answered (or was none)
  extend REF                                      the data subject was told of an extension:
                                                  due date moves to the extended one
options:
  --table NAME     the case table (default $${ENV.casesTable}; deployed: the stack output CasesTableName)
  --local          the local pipeline's table on its DynamoDB emulator ($${CASES_ENDPOINT_ENV},
                   default ${LOCAL_CASES_ENDPOINT})
  --by NAME        who makes the change (default $${CASES_BY_ENV}, else your OS user name)
  --config FILE    configuration overrides (calendar, cases.keepClosedDays), as for npm start
exit codes: 0 done; 1 refused or no such case; 2 bad command line; 3 the table could not be read or written`;

export const EXIT = { ok: 0, refused: 1, usage: 2, unavailable: 3 } as const;

/** Where the register is: a deployed table (AWS credentials and region as the SDK finds them) or the emulator. */
export interface RegisterLocation {
  table: string;
  /** Set for the local pipeline: the DynamoDB emulator's endpoint. */
  endpoint?: string;
}

export interface CasesDeps {
  register(location: RegisterLocation): CaseRegister;
  now(): Date;
  /** The OS user, when neither --by nor CASES_BY names who acts. */
  user(): string;
}

export interface CasesIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const COMMANDS = ['list', 'show', 'close', 'extend'] as const;
type Command = (typeof COMMANDS)[number];
const WHO = /^[\p{L}\p{N}._@:+-]{1,128}$/u;

export async function runCases(
  argv: string[],
  env: Record<string, string | undefined>,
  deps: CasesDeps,
  io: CasesIo,
): Promise<number> {
  let request: Awaited<ReturnType<typeof readRequest>>;
  try {
    request = await readRequest(argv, env, deps);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigInvalid)) throw error;
    io.stderr(`cases: ${error.message}`);
    if (error instanceof UsageError) io.stderr(USAGE);
    return EXIT.usage;
  }
  if (request === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const { command, reference, location, by, json, status, config } = request;
  const register = deps.register(location);
  const now = deps.now();
  const today = localDate(now, config.calendar.timeZone);
  try {
    if (command === 'list') {
      const cases = await register.list(status);
      if (json) io.stdout(JSON.stringify(cases));
      else {
        for (const item of cases) io.stdout(summaryLine(item, today, config));
        io.stdout(`${cases.length} case${cases.length === 1 ? '' : 's'}${status ? ` ${status}` : ''}`);
      }
      return EXIT.ok;
    }
    const existing = await register.get(reference);
    if (!existing) {
      io.stderr(`cases: no case ${reference} in table ${location.table}`);
      return EXIT.refused;
    }
    if (command === 'show') {
      if (json) io.stdout(JSON.stringify(existing));
      else for (const line of details(existing, today, config)) io.stdout(line);
      return EXIT.ok;
    }
    const changed =
      command === 'close'
        ? closeCase(existing, by, now, config.cases.keepClosedDays)
        : extendCase(existing, today, by, now);
    await register.save(changed);
    io.stdout(
      command === 'close'
        ? `${reference} closed by ${by}`
        : `${reference} extended by ${by}: due ${existing.dueOn} → ${changed.dueOn}`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CaseRefused || error instanceof CaseChanged) {
      io.stderr(`cases: ${error.message}`);
      return EXIT.refused;
    }
    const safe = safeError(error);
    io.stderr(
      `cases: the table ${location.table}${location.endpoint ? ` at ${location.endpoint}` : ''} could not be ${
        command === 'list' || command === 'show' ? 'read' : 'written'
      } (${[safe.errorName, safe.errorCode].filter(Boolean).join(' ')}): check AWS credentials, region and --table`,
    );
    return EXIT.unavailable;
  }
}

async function readRequest(argv: string[], env: Record<string, string | undefined>, deps: CasesDeps) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help' as const;
  const [command, referenceArg, ...extra] = positionals;
  if (!command || !COMMANDS.includes(command as Command))
    throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);

  let reference = '';
  if (command !== 'list') {
    if (!referenceArg)
      throw new UsageError(`${command} needs a case reference, e.g. SSI-DB-2026-4K7QM-2XP9C`);
    reference = findCaseReference(referenceArg) ?? '';
    if (!reference) throw new UsageError(`not a case reference: '${referenceArg}'`);
  } else if (referenceArg) {
    throw new UsageError(`unexpected argument '${referenceArg}'`);
  }

  const status = values.status as CaseStatus | undefined;
  if (status !== undefined && !CASE_STATUSES.includes(status))
    throw new UsageError(`--status: expected ${CASE_STATUSES.join(', ')}`);
  if (status !== undefined && command !== 'list') throw new UsageError('--status is for list');

  const local = values.local === true;
  const table = values.table ?? (local ? 'cases' : env[ENV.casesTable]);
  if (!table)
    throw new UsageError(
      `no case table: give --table NAME or set ${ENV.casesTable} (the stack output CasesTableName), or --local`,
    );
  const location: RegisterLocation = local
    ? { table, endpoint: env[CASES_ENDPOINT_ENV] || LOCAL_CASES_ENDPOINT }
    : { table };

  const by = values.by ?? env[CASES_BY_ENV] ?? deps.user();
  if (!WHO.test(by)) throw new UsageError('--by: a name or user id of letters, digits and ._@:+- only');

  const config: TriageConfig = await loadConfigFile(values.config);
  return {
    command: command as Command,
    reference,
    location,
    by,
    json: values.json === true,
    status,
    config,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      status: { type: 'string' },
      table: { type: 'string' },
      local: { type: 'boolean' },
      by: { type: 'string' },
      json: { type: 'boolean' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function daysLeft(item: Case, today: string, config: TriageConfig): string {
  if (item.status === 'closed') return '';
  const days = workingDaysUntil(today, item.dueOn, config.calendar.extraClosingDays);
  if (item.dueOn < today) return `overdue ${Math.max(1, -days)} working days`;
  return days === 0 ? 'due today' : `${days} working days left`;
}

function summaryLine(item: Case, today: string, config: TriageConfig): string {
  return [
    item.reference,
    item.status.padEnd(8),
    `${item.right} (Art. ${GDPR_ARTICLE[item.right]})`.padEnd(22),
    `due ${item.dueOn}`,
    daysLeft(item, today, config).padEnd(24),
    `confidence ${item.confidence}`,
  ].join('  ');
}

function details(item: Case, today: string, config: TriageConfig): string[] {
  return [
    `reference           ${item.reference}`,
    `status              ${item.status}`,
    `right               ${item.right} (Art. ${GDPR_ARTICLE[item.right]})`,
    `confidence          ${item.confidence}${item.confidence === 'low' ? ' (review: the request may be none)' : ''}`,
    `received on         ${item.receivedOn}`,
    `due on              ${item.dueOn}${item.status === 'closed' ? '' : `  (${daysLeft(item, today, config)})`}`,
    `extension notice by ${item.extensionNoticeBy}`,
    `extended due on     ${item.extendedDueOn}`,
    `raw mail            ${item.rawMailKey ?? '-'}`,
    `opened by mail      ${item.sesMessageId}`,
    'history:',
    ...item.history.map(changeLine),
  ];
}

function changeLine(change: CaseChange): string {
  const detail =
    change.what === 'extended' && change.dueOn
      ? ` due ${change.dueOn.from} → ${change.dueOn.to}`
      : change.sesMessageId
        ? ` mail ${change.sesMessageId}`
        : '';
  return `  ${change.at}  ${change.what.padEnd(8)} by ${change.by}${detail}`;
}
