// `npm run corpus-intake -- DIR`: puts every .eml in DIR through the real intake handler on
// the local emulators, as SES would deliver it (stored in S3, notified through SNS and the
// intake queue), and checks that intake gives up on none: every mail yields one record on
// a topic queue and nothing is left in a dead-letter queue. CI runs it over the public
// parser test suites in ../shared/corpus.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOPICS } from '../functions/core/types.js';
import { QUEUE_NAMES } from '../functions/runtime/resource-names.js';
import { receiveInbound } from '../local/ses-inbound.js';
import { captureHandlerOutput, startPipeline } from '../test/integration/harness.js';
import { corpusFiles } from './corpus-files.js';

const dir = process.argv[2] ?? '../shared/corpus';
const files = await corpusFiles(dir, 'corpus-intake');

// The handlers' log and metric lines would drown the summary; they stay in memory.
const restoreOutput = captureHandlerOutput();
const pipeline = await startPipeline();
let problems: string[] = [];
try {
  const ids = new Map<string, string>();
  for (const name of files) {
    const raw = await readFile(join(dir, name));
    const id = await receiveInbound(
      { raw, envelopeSender: 'sender@example.com', recipients: ['ssidatabeskyttelse@ssi.dk'] },
      {
        s3: pipeline.clients.s3,
        sns: pipeline.clients.sns,
        bucket: pipeline.resources.bucket,
        topicArn: pipeline.resources.mailTopicArn,
      },
    );
    ids.set(id, name);
  }
  await pipeline.run('intake');
  const routed = new Set<string>();
  for (const topic of TOPICS) {
    for (const record of await pipeline.takeRecords(QUEUE_NAMES.topic(topic)))
      routed.add(record.sesMessageId);
  }
  const deadLetters = await pipeline.depth(QUEUE_NAMES.intake, true);
  problems = [
    ...[...ids].filter(([id]) => !routed.has(id)).map(([, name]) => `${name}: no record on a topic queue`),
    ...(deadLetters > 0 ? [`${deadLetters} message(s) in the intake dead-letter queue`] : []),
  ];
  restoreOutput();
  console.log(`corpus-intake: ${files.length} mails through intake, ${routed.size} routed`);
} finally {
  restoreOutput();
  await pipeline.stop();
}
for (const problem of problems) console.error(`corpus-intake: ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);
