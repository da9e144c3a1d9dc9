import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDbCaseRegister } from '../functions/adapters/dynamodb-case-register.js';
import { readConfigFile } from '../functions/cli/config-file.js';
import { ConfigInvalid } from '../functions/core/config.js';
import { TABLE_NAMES } from '../functions/runtime/resource-names.js';
import { PortInUse } from './emulators.js';
import { installLiveLog } from './live-log.js';
import { type LocalPipeline, type LocalPipelineOptions, startLocalPipeline } from './pipeline.js';
import { seedSampleMails } from './seed.js';
import { seedDemoCases } from './seed-cases.js';
import { stopLikeAService } from './service-stop.js';

// `npm start`: the whole pipeline on this machine, until Ctrl-C, `kill PID` or SIGHUP
// (service-stop.ts says how each reaches this process).

const USAGE = `usage: npm start -- [--seed] [--digest-now] [--config FILE] [--smtp-port N] [--aws-port N] [--ses-port N] [--dynamodb-port N]
  --seed           send the sample mails in test/fixtures through SMTP once started, and
                   add demo GDPR cases (overdue, extension notice due, extended) to the register
  --digest-now     run the owners' morning digest once started (any day); see it on the SES page
  --config FILE    JSON overrides of the triage configuration (see README)
  ports            default SMTP 2525, S3/SQS/SNS 4566, SES 8005, DynamoDB 8000; 0 picks a free one`;

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigInvalid('options', [`--${name}: not a port: ${value}`]);
  return n;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    process.stderr.write(`local pipeline: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let overrides: unknown;
  let ports: LocalPipelineOptions['ports'];
  try {
    if (args.values.config) ({ overrides } = await readConfigFile(args.values.config));
    ports = {
      smtp: port(args.values['smtp-port'], 2525, 'smtp-port'),
      aws: port(args.values['aws-port'], 4566, 'aws-port'),
      ses: port(args.values['ses-port'], 8005, 'ses-port'),
      dynamodb: port(args.values['dynamodb-port'], 8000, 'dynamodb-port'),
    };
  } catch (error) {
    if (!(error instanceof ConfigInvalid)) throw error;
    process.stderr.write(`local pipeline: ${error.message}\n`);
    return 2;
  }

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const print = (text: string) => process.stderr.write(`${text}\n`);
  const restoreLog = installLiveLog();
  const starting = startLocalPipeline({
    ports,
    configOverrides: overrides,
    onPollError: (queue, error) => print(`poller ${queue}: ${(error as Error).name ?? 'error'}; retrying`),
  });
  const shutDown = async () => {
    const started = await starting.catch(() => undefined);
    await started?.stop();
    restoreLog();
  };
  // From here on a signal stops whatever has started, even during start-up.
  const service = stopLikeAService({
    stop: shutDown,
    print,
    exit: (code) => process.exit(code),
    launcher: process.env.npm_lifecycle_event
      ? { pid: process.ppid, currentParent: () => process.ppid }
      : undefined,
  });
  let pipeline: LocalPipeline;
  try {
    pipeline = await starting;
  } catch (error) {
    if (!(error instanceof PortInUse || error instanceof ConfigInvalid)) throw error;
    restoreLog();
    print(`local pipeline: ${error.message}`);
    return 2;
  }
  if (service.stopping) return -1;
  print(
    `Local mail triage pipeline is running as process ${process.pid} (Ctrl-C or kill ${process.pid} stops it).`,
  );
  print(`  send mail to      ${pipeline.config.recipients.join(', ')} via ${pipeline.smtpUrl}`);
  print(`  see replies at    ${pipeline.emulators.sesWebUrl}`);
  print(
    `  S3/SQS/SNS        ${pipeline.emulators.endpoints.s3}   DynamoDB ${pipeline.emulators.endpoints.dynamodb}`,
  );
  print(`  topic queues      ${Object.keys(pipeline.resources.queues).join(', ')}`);
  print(
    `  GDPR cases        CASES_ENDPOINT=${pipeline.emulators.endpoints.dynamodb} npm run cases -- --local list`,
  );
  print('  one line per mail: time, SES id, what happened (no personal data)');

  // A signal during seeding or the digest stops the pipeline under them: their errors then
  // are the stop's doing, not theirs.
  const unlessStopping = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (service.stopping) return;
      await shutDown();
      throw error;
    }
  };
  if (args.values.seed) {
    await unlessStopping(async () => {
      const count = await seedSampleMails(
        pipeline.smtpPort,
        pipeline.config.recipients[0] ?? '',
        fileURLToPath(new URL('../test/fixtures/', import.meta.url)),
      );
      print(`seeded ${count} sample mails`);
      const register = new DynamoDbCaseRegister(pipeline.clients.dynamodb, TABLE_NAMES.cases);
      const demo = await seedDemoCases(register, pipeline.config, new Date());
      print(`seeded ${demo.length} demo cases: ${demo.join(', ')}`);
    });
  }
  if (args.values['digest-now']) {
    await unlessStopping(async () => {
      const outcome = await pipeline.digest();
      print(
        outcome.sent
          ? `digest sent for ${outcome.today} (${outcome.cases} cases): see ${pipeline.emulators.sesWebUrl}`
          : `no digest for ${outcome.today}: ${outcome.reason}${
              outcome.reason === 'no-owners'
                ? ' (nobody owns data-subject-request; try --config local/owners.example.json)'
                : ''
            }`,
      );
    });
  }
  return -1;
}

function parse() {
  return parseArgs({
    strict: true,
    options: {
      seed: { type: 'boolean' },
      'digest-now': { type: 'boolean' },
      help: { type: 'boolean' },
      config: { type: 'string' },
      'smtp-port': { type: 'string' },
      'aws-port': { type: 'string' },
      'ses-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
    },
  });
}

const code = await main();
if (code >= 0) process.exit(code);
