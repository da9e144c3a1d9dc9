/**
 * AWS emulators on loopback for integration tests and the local pipeline: S3, SQS and SNS
 * from fauxqs (one port), SES from aws-ses-v2-local, DynamoDB from dynalite. They speak the
 * real wire protocols, so the same SDK v3 clients and handlers run against them unchanged.
 *
 * Facts this module relies on (checked in test/integration/emulators.test.ts):
 * - fauxqs serves S3, SQS and SNS on one port. Its `startFauxqs()` binds 0.0.0.0, so we use
 *   its `buildApp()` (a Fastify instance) and listen on the loopback host ourselves.
 * - aws-ses-v2-local stores a *parsed* copy of each mail (no raw MIME, no headers besides
 *   addresses and subject), in a module-global store shared by every instance in a process.
 *   A small front server records the raw MIME of each SendRawEmail by SES message id, so
 *   tests can check headers such as `Auto-Submitted` that the emulator's store drops.
 * - dynalite keeps tables in memory; with `createTableMs: 0` a new table turns ACTIVE on the
 *   next tick. It has no UpdateTimeToLive and never expires items.
 */
import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import addressparser from 'nodemailer/lib/addressparser';

/** `smtp` is the local pipeline's SES-inbound stand-in, reported the same way. */
export type EmulatorName = 'aws' | 'ses' | 'dynamodb' | 'smtp';

export interface EmulatorOptions {
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port per emulator; 0 or absent picks a free port. `aws` serves S3, SQS and SNS. */
  ports?: { aws?: number; ses?: number; dynamodb?: number };
}

export interface Emulators {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  endpoints: { s3: string; sqs: string; sns: string; ses: string; dynamodb: string };
  /** The page a human opens to see the mail sent through SES. */
  sesWebUrl: string;
  /** Every mail SES accepted, oldest first. */
  sentMail(): Promise<SentMail[]>;
  /**
   * Empties the SES emulator's store (and its templates). The store is global to the
   * process, so this also clears mail seen by any other instance in the same process.
   */
  clearSentMail(): Promise<void>;
  /** Stops every emulator and frees its port; safe to call more than once. */
  stop(): Promise<void>;
}

export interface MailAddress {
  address: string;
  name: string;
}

export interface SentMailAttachment {
  filename?: string;
  contentType: string;
  size: number;
  /** base64 */
  content: string;
}

/** One mail as the SES emulator recorded it, with addresses parsed. */
export interface SentMail {
  messageId: string;
  /** When SES accepted it; the emulator records whole seconds. */
  sentAt: Date;
  /** From header (or Source when the mail has none). */
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  text?: string;
  html?: string;
  attachments: SentMailAttachment[];
  /** The MIME message exactly as sent, for SendRawEmail (SES v1) only. */
  raw?: string;
  /** The envelope of a SendRawEmail: Source and Destinations as given in the request. */
  envelope?: { source?: string; destinations: string[] };
}

export class PortInUse extends Error {
  override readonly name = 'PortInUse';
  constructor(
    readonly emulator: EmulatorName,
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Cannot start the ${EMULATOR_LABELS[emulator]} emulator: port ${port} on ${host} is already in use. ` +
        `Stop whatever holds it, or choose another port: npm start -- --${emulator}-port N (0 picks a free one).`,
    );
  }
}

export type EmulatedService = keyof Emulators['endpoints'];

export interface AwsClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** S3 only: the bucket goes in the path, so no `<bucket>.127.0.0.1` host names are needed. */
  forcePathStyle?: boolean;
}

/** Configuration for an SDK v3 client (`new S3Client(awsClientConfig(emulators, 's3'))`). */
export function awsClientConfig(
  emulators: Pick<Emulators, 'region' | 'credentials' | 'endpoints'>,
  service: EmulatedService,
): AwsClientConfig {
  const config: AwsClientConfig = {
    region: emulators.region,
    endpoint: emulators.endpoints[service],
    credentials: { ...emulators.credentials },
  };
  if (service === 's3') config.forcePathStyle = true;
  return config;
}

const EMULATOR_LABELS: Record<EmulatorName, string> = {
  aws: 'S3/SQS/SNS (fauxqs)',
  ses: 'SES (aws-ses-v2-local)',
  dynamodb: 'DynamoDB (dynalite)',
  smtp: 'SMTP inbound (smtp-server)',
};

const REGION = 'eu-west-1';

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    const pending = stops.splice(0).reverse();
    await Promise.all(pending.map((stop) => stop()));
  };

  try {
    const aws = await startFauxqs(host, options.ports?.aws ?? 0);
    stops.push(aws.stop);
    const ses = await startSes(host, options.ports?.ses ?? 0);
    stops.push(ses.stop);
    const dynamodb = await startDynalite(host, options.ports?.dynamodb ?? 0);
    stops.push(dynamodb.stop);

    const awsUrl = baseUrl(host, aws.port);
    const sesUrl = baseUrl(host, ses.port);
    let stopped: Promise<void> | undefined;
    return {
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      endpoints: {
        s3: awsUrl,
        sqs: awsUrl,
        sns: awsUrl,
        ses: sesUrl,
        dynamodb: baseUrl(host, dynamodb.port),
      },
      sesWebUrl: `${sesUrl}/`,
      sentMail: ses.sentMail,
      clearSentMail: ses.clearSentMail,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface Started {
  port: number;
  stop(): Promise<void>;
}

function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

async function startFauxqs(host: string, port: number): Promise<Started> {
  const app = buildApp({ logger: false, defaultRegion: REGION });
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw isAddressInUse(error) ? new PortInUse('aws', host, port) : error;
  }
  // buildApp sets forceCloseConnections, so close() also ends keep-alive sockets.
  return { port: (app.server.address() as AddressInfo).port, stop: () => app.close() };
}

type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

type SesServerFactory = (config: { host?: string; port?: number }) => Promise<Server>;

const require = createRequire(import.meta.url);

async function startDynalite(host: string, port: number): Promise<Started> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const actualPort = await listen(server, 'dynamodb', host, port);
  return { port: actualPort, stop: () => closeServer(server) };
}

interface RawSend {
  raw: string;
  source?: string;
  destinations: string[];
}

async function startSes(host: string, port: number) {
  const sesServer = (require('aws-ses-v2-local') as { default: SesServerFactory }).default;
  // The emulator listens on a private port behind the front server below. Express 5 hands a
  // listen error to the callback, so its promise resolves even when the port was not bound.
  const emulator = await sesServer({ host, port: 0 });
  if (!emulator.listening) throw new Error(`The SES emulator could not listen on ${host}`);
  const emulatorPort = (emulator.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: false });
  const rawByMessageId = new Map<string, RawSend>();

  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body?: Buffer) =>
    httpCall({ agent, host, port: emulatorPort, method, path, headers }, body);

  const front = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const reply = await forward(req.method ?? 'GET', req.url ?? '/', req.headers, body);
        if (reply.status === 200) recordRawSend(req.method, req.url, body, reply.body, rawByMessageId);
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  let actualPort: number;
  try {
    actualPort = await listen(front, 'ses', host, port);
  } catch (error) {
    await closeServer(emulator);
    throw error;
  }

  return {
    port: actualPort,
    async sentMail(): Promise<SentMail[]> {
      const reply = await forward('GET', '/store', {});
      if (reply.status !== 200) throw new Error(`SES emulator store answered HTTP ${reply.status}`);
      const store = JSON.parse(reply.body.toString('utf8')) as { emails: StoredEmail[] };
      return store.emails.map((email) => normaliseEmail(email, rawByMessageId.get(email.messageId)));
    },
    async clearSentMail(): Promise<void> {
      const reply = await forward('POST', '/clear-store', {});
      if (reply.status !== 200) throw new Error(`SES emulator clear-store answered HTTP ${reply.status}`);
      rawByMessageId.clear();
    },
    async stop(): Promise<void> {
      await Promise.all([closeServer(front), closeServer(emulator)]);
      agent.destroy();
    },
  };
}

/** One email in aws-ses-v2-local's `GET /store` answer (`{ templates, emails }`). */
interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>;
  headers?: Array<{ name: string; value: string }>;
  /** epoch seconds */
  at: number;
}

function normaliseEmail(email: StoredEmail, rawSend: RawSend | undefined): SentMail {
  const mail: SentMail = {
    messageId: email.messageId,
    sentAt: new Date(email.at * 1000),
    from: parseAddresses([email.from]),
    to: parseAddresses(email.destination.to),
    cc: parseAddresses(email.destination.cc),
    bcc: parseAddresses(email.destination.bcc),
    replyTo: parseAddresses(email.replyTo),
    subject: email.subject,
    attachments: email.attachments.map(({ filename, contentType, size, content }) => ({
      ...(filename === undefined ? {} : { filename }),
      contentType,
      size,
      content,
    })),
  };
  if (email.body.text !== undefined) mail.text = email.body.text;
  if (email.body.html !== undefined) mail.html = email.body.html;
  if (rawSend) {
    mail.raw = rawSend.raw;
    mail.envelope = {
      destinations: rawSend.destinations,
      ...(rawSend.source === undefined ? {} : { source: rawSend.source }),
    };
  }
  return mail;
}

/** The emulator keeps each address header as display text (`"Name" <a@b>, c@d`). */
function parseAddresses(headers: string[]): MailAddress[] {
  return headers.flatMap((header) =>
    addressparser(header, { flatten: true }).map(({ address, name }) => ({ address, name })),
  );
}

function recordRawSend(
  method: string | undefined,
  url: string | undefined,
  requestBody: Buffer,
  responseBody: Buffer,
  rawByMessageId: Map<string, RawSend>,
): void {
  if (method !== 'POST' || url !== '/') return;
  const params = new URLSearchParams(requestBody.toString('utf8'));
  const data = params.get('RawMessage.Data');
  if (params.get('Action') !== 'SendRawEmail' || data === null) return;
  const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(responseBody.toString('utf8'))?.[1];
  if (messageId === undefined) return;
  const destinations = [...params.entries()]
    .filter(([key]) => /^Destinations\.member\.\d+$/.test(key))
    .sort(([a], [b]) => memberIndex(a) - memberIndex(b))
    .map(([, value]) => value);
  const source = params.get('Source');
  rawByMessageId.set(messageId, {
    raw: Buffer.from(data, 'base64').toString('utf8'),
    destinations,
    ...(source === null ? {} : { source }),
  });
}

function memberIndex(key: string): number {
  return Number(key.slice(key.lastIndexOf('.') + 1));
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function httpCall(
  options: {
    agent: Agent;
    host: string;
    port: number;
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
  },
  body?: Buffer,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const { connection: _hopByHop, ...headers } = options.headers;
    const req = request({ ...options, headers }, (res) => {
      readBody(res)
        .then((payload) => {
          const { connection: _c, 'transfer-encoding': _te, ...replyHeaders } = res.headers;
          resolve({ status: res.statusCode ?? 502, headers: replyHeaders, body: payload });
        })
        .catch(reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listen(server: Server, emulator: EmulatorName, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(isAddressInUse(error) ? new PortInUse(emulator, host, port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from SDK clients would otherwise hold close() (and vitest) open.
    server.closeAllConnections();
  });
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}
