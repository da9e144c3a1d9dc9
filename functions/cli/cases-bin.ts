import { userInfo } from 'node:os';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../adapters/aws-clients.js';
import { DynamoDbCaseRegister } from '../adapters/dynamodb-case-register.js';
import { runCases } from './cases.js';

// Deployed: credentials and region come from the standard AWS sources (AWS_PROFILE,
// AWS_REGION, SSO, …) and the table from --table or CASES_TABLE. --local: the local
// pipeline's DynamoDB emulator, which accepts any credentials.
// The SDK's Node.js support notice is noise on an operator's terminal, as in `npm start`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const clients: DynamoDBClient[] = [];
try {
  process.exitCode = await runCases(
    process.argv.slice(2),
    process.env,
    {
      register: ({ table, endpoint }) => {
        const client = createDynamoDbClient(
          endpoint
            ? {
                endpoint,
                region: process.env.AWS_REGION ?? 'eu-west-1',
                credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
              }
            : {},
        );
        clients.push(client);
        return new DynamoDbCaseRegister(client, table);
      },
      now: () => new Date(),
      user: () => {
        try {
          return userInfo().username;
        } catch {
          return 'unknown-user';
        }
      },
    },
    {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
    },
  );
} finally {
  for (const client of clients) client.destroy();
}
