import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3MailStore } from '../../functions/adapters/s3-mail-store.js';
import { PermanentFailure } from '../../functions/core/errors.js';
import { ForeignObject, type MailLocation } from '../../functions/core/ports.js';

// The store owns one bucket and prefix, and is the one place that checks it: intake and
// deliver hand it whatever location their queue message names. A real S3 client, pointed
// at a closed loopback port, records every request it would send.

function storeWithRequestLog() {
  const s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const requested: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      requested.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return { store: new S3MailStore(s3, { bucket: 'raw-mail', prefix: 'raw/' }), requested };
}

const FOREIGN: Array<[string, MailLocation]> = [
  ['another bucket', { bucket: 'ssi-exports', key: 'raw/o3vrnil0e2ic28trm7d' }],
  ['another prefix', { bucket: 'raw-mail', key: 'config/owners.json' }],
  ['a key climbing out of the prefix', { bucket: 'raw-mail', key: 'raw/../config/owners.json' }],
  ['a key with a dot segment', { bucket: 'raw-mail', key: 'raw/./o3vrnil0e2ic28trm7d' }],
  ['a bucket that only starts like ours', { bucket: 'raw-mail-copy', key: 'raw/o3vrnil0e2ic28trm7d' }],
];

describe('the S3 mail store', () => {
  it.each(FOREIGN)('refuses %s for every operation, before any request', async (_name, location) => {
    const { store, requested } = storeWithRequestLog();
    for (const operation of [
      () => store.open(location),
      () => store.size(location),
      () => store.tagTopic(location, 'general'),
    ]) {
      const refusal = await operation().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ForeignObject);
      // Permanent: the queue runner counts it apart, as no retry can mend it.
      expect(refusal).toBeInstanceOf(PermanentFailure);
      // The message names neither the bucket nor the key the message gave.
      expect((refusal as Error).message).not.toContain(location.key);
      if (location.bucket !== 'raw-mail') expect((refusal as Error).message).not.toContain(location.bucket);
    }
    expect(requested).toEqual([]);
  });

  it('sends a request for a mail in its bucket and under its prefix', async () => {
    const { store, requested } = storeWithRequestLog();
    const location = { bucket: 'raw-mail', key: 'raw/o3vrnil0e2ic28trm7d' };
    const failure = await store.size(location).catch((error: unknown) => error);
    // Nothing listens on the port: the request was made, and failed as a network error would.
    expect(failure).not.toBeInstanceOf(PermanentFailure);
    expect(requested).toEqual(['HeadObjectCommand']);
  });
});
