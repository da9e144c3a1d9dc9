import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigInvalid, configWithOverrides } from '../functions/core/config.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { PortInUse } from './emulators.js';
import { installLiveLog } from './live-log.js';
import { startLocalPipeline } from './pipeline.js';
import { seedSampleMails } from './seed.js';

// `npm start`: the whole pipeline on this machine, until Ctrl-C.

const USAGE = `usage: npm start -- [--seed] [--config FILE] [--smtp-port N] [--aws-port N] [--ses-port N] [--dynamodb-port N]
  --seed           send the sample mails in test/fixtures through SMTP once started
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
  try {
    if (args.values.config) {
      overrides = JSON.parse(await readFile(args.values.config, 'utf8'));
      configWithOverrides(overrides, DEFAULT_CONFIG, args.values.config);
    }
    const ports = {
      smtp: port(args.values['smtp-port'], 2525, 'smtp-port'),
      aws: port(args.values['aws-port'], 4566, 'aws-port'),
      ses: port(args.values['ses-port'], 8005, 'ses-port'),
      dynamodb: port(args.values['dynamodb-port'], 8000, 'dynamodb-port'),
    };
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const restoreLog = installLiveLog();
    const pipeline = await startLocalPipeline({
      ports,
      configOverrides: overrides,
      onPollError: (queue, error) =>
        process.stderr.write(`poller ${queue}: ${(error as Error).name ?? 'error'}; retrying\n`),
    });
    const print = (text: string) => process.stderr.write(`${text}\n`);
    print('Local mail triage pipeline is running (Ctrl-C stops it).');
    print(`  send mail to      ${pipeline.config.recipients.join(', ')} via ${pipeline.smtpUrl}`);
    print(`  see replies at    ${pipeline.sesWebUrl}`);
    print(
      `  S3/SQS/SNS        ${pipeline.emulators.endpoints.s3}   DynamoDB ${pipeline.emulators.endpoints.dynamodb}`,
    );
    print(`  topic queues      ${Object.keys(pipeline.resources.queues).join(', ')}`);
    print('  one line per mail: time, SES id, what happened (no personal data)');

    const stop = async () => {
      print('\nstopping…');
      await pipeline.stop();
      restoreLog();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    if (args.values.seed) {
      const count = await seedSampleMails(
        pipeline.smtpPort,
        pipeline.config.recipients[0] ?? '',
        new URL('../test/fixtures/', import.meta.url).pathname,
      );
      print(`seeded ${count} sample mails`);
    }
    return -1;
  } catch (error) {
    if (error instanceof PortInUse || error instanceof ConfigInvalid) {
      process.stderr.write(`local pipeline: ${error.message}\n`);
      return 2;
    }
    if (error instanceof SyntaxError) {
      process.stderr.write(`local pipeline: ${args.values.config}: not valid JSON\n`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`local pipeline: cannot read ${args.values.config}\n`);
      return 2;
    }
    throw error;
  }
}

function parse() {
  return parseArgs({
    strict: true,
    options: {
      seed: { type: 'boolean' },
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
