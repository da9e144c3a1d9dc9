import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `fast` is the default `npm test` (unit, integration on the emulators,
// CDK); `load` is the 1,000-mail load test, about 90 s on two cores. `npm run test:all`
// (what CI runs) runs both.
export default defineConfig({
  test: {
    // Much of the suite waits on emulators, SMTP and child processes rather than computing:
    // twice as many workers as cores (at least four) roughly halves the run on two cores.
    maxWorkers: Math.max(4, availableParallelism() * 2),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      // The SDK warns once per process on Node 20 (Lambda runs the newest Node.js); noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Tests run with no AWS account: nothing may reach for real credentials or regions.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    },
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/load/**'] } },
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'] } },
    ],
  },
});
