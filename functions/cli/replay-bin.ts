import { createS3Client, createSqsClient } from '../adapters/aws-clients.js';
import { runReplay } from './replay.js';

// Region, credentials and endpoints come from the standard AWS environment variables
// (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SQS, …), so this runs against AWS or
// against the local emulators alike.
const s3 = createS3Client();
const sqs = createSqsClient();
try {
  process.exitCode = await runReplay(
    process.argv.slice(2),
    process.env,
    { s3, sqs },
    {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
    },
  );
} finally {
  s3.destroy();
  sqs.destroy();
}
