import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { SQSBatchResponse } from 'aws-lambda';
import type { SqsHandler } from '../../local/sqs-poller.js';

// Two ways to make a real SDK v3 client fail as AWS would: point it at a failing endpoint
// (a loopback HTTP server answering in the service's wire format), or give it a request
// handler that answers some requests with such an error and passes the rest on. Either
// way the SDK parses, classifies and retries the error exactly as it would AWS's.

/** An HTTP answer as a service sends it. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Sends this many bytes of the body, then drops the connection (failing endpoint only). */
  cutAfterBytes?: number;
}

/** What a fault injector saw of one request: enough to tell the operation and its target. */
export interface SeenRequest {
  method: string;
  /** For path-style S3, `/bucket/key`. */
  path: string;
  /** `AmazonSQS.SendMessage` (JSON protocol) or the query protocol's Action (`SendRawEmail`). */
  operation: string | undefined;
  /** The queue an SQS request names. */
  queueUrl: string | undefined;
  /** SQS's JSON protocol in query-compatible mode sends `x-amzn-query-mode: true`. */
  queryMode: boolean;
}

// The error texts below are AWS's own. None of them may ever reach a log line.
export const FAULT_MESSAGES = {
  s3SlowDown: 'Please reduce your request rate.',
  sqsUnavailable: 'Service is unable to handle request.',
  sesThrottling: 'Maximum sending rate exceeded.',
  /** SES names the refused address in the message: a leak if anything logs error.message. */
  sesRejected: (address: string) =>
    `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${address}`,
};

/** S3 (REST-XML): `<Error>` at the root, e.g. SlowDown 503 or InternalError 500. */
export function s3Error(code: string, message: string, status: number): WireResponse {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const hostId = Buffer.from(randomUUID()).toString('base64');
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${message}</Message>` +
      `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`,
  };
}

/** SES v1 (AWS query protocol): `<ErrorResponse>`; Throttling and MessageRejected are 400 Sender. */
export function sesError(code: string, message: string, status = 400, type = 'Sender'): WireResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">\n' +
      `  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

/**
 * SQS (JSON 1.0, query-compatible): the error shape in `__type`, and the old query-protocol
 * code and fault type in the `x-amzn-query-error` header, which the SDK reads first.
 */
export function sqsError(code: string, message: string, status: number, type = 'Receiver'): WireResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'x-amzn-query-error': `${code};${type}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }),
  };
}

export const faults = {
  s3SlowDown: () => s3Error('SlowDown', FAULT_MESSAGES.s3SlowDown, 503),
  sqsUnavailable: () => sqsError('ServiceUnavailable', FAULT_MESSAGES.sqsUnavailable, 503),
  sesThrottling: () => sesError('Throttling', FAULT_MESSAGES.sesThrottling),
  sesRejected: (address: string) => sesError('MessageRejected', FAULT_MESSAGES.sesRejected(address)),
};

function describeRequest(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): SeenRequest {
  const header = (name: string) => {
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
    return Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1];
  };
  let operation = header('x-amz-target');
  let queueUrl: string | undefined;
  if (operation) {
    try {
      queueUrl = (JSON.parse(body) as { QueueUrl?: string }).QueueUrl;
    } catch {
      queueUrl = undefined;
    }
  } else if (body.startsWith('Action=')) {
    operation = new URLSearchParams(body).get('Action') ?? undefined;
  }
  return {
    method,
    path: path.split('?')[0] ?? path,
    operation,
    queueUrl,
    queryMode: header('x-amzn-query-mode') === 'true',
  };
}

export interface FailingEndpoint {
  url: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

/** A loopback HTTP server that answers every request with `answer`'s wire response. */
export async function startFailingEndpoint(
  answer: (request: SeenRequest) => WireResponse,
): Promise<FailingEndpoint> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = describeRequest(
        req.method ?? 'GET',
        req.url ?? '/',
        req.headers as IncomingHttpHeaders,
        Buffer.concat(chunks).toString('utf8'),
      );
      requests.push(seen);
      const reply = answer(seen);
      const body = Buffer.from(reply.body);
      res.writeHead(reply.status, { 'content-length': String(body.length), ...reply.headers });
      if (reply.cutAfterBytes === undefined) {
        res.end(body);
        return;
      }
      res.write(body.subarray(0, reply.cutAfterBytes), () => {
        // As a reset connection does: the client has the headers and part of the body.
        setTimeout(() => res.socket?.destroy(), 10);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Decides, per request, whether to answer with a fault (returned) or pass it on (undefined). */
export type FaultPlan = (request: SeenRequest) => WireResponse | undefined;

export const noFaults: FaultPlan = () => undefined;

/** Fails the first `count` requests that match with `fault`, then passes everything on. */
export function failFirst(
  count: number,
  fault: () => WireResponse,
  matches: (request: SeenRequest) => boolean = () => true,
): FaultPlan {
  let failed = 0;
  return (request) => {
    if (!matches(request) || failed >= count) return undefined;
    failed += 1;
    return fault();
  };
}

/** Request bodies are strings (query protocol) or bytes (JSON protocol); streams are not read. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

/** The parts of a Smithy HttpRequest and request handler this wrapper touches. */
interface HttpRequestLike {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface RequestHandlerLike {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's own signature (RequestHandler<any, any, …>)
  handle(request: any, options?: any): Promise<{ response: unknown }>;
}

/**
 * A `requestHandler` for an SDK v3 client: every request is recorded; those the plan picks
 * are answered with a fault, the rest go to a real handler (the harness client's, shared,
 * so this wrapper never destroys it).
 */
export class FaultInjectingHandler {
  readonly requests: SeenRequest[] = [];

  constructor(
    private readonly inner: RequestHandlerLike,
    private readonly plan: FaultPlan,
  ) {}

  async handle(request: HttpRequestLike, options?: unknown): Promise<{ response: unknown }> {
    const seen = describeRequest(request.method, request.path, request.headers, bodyText(request.body));
    this.requests.push(seen);
    const fault = this.plan(seen);
    if (!fault) return this.inner.handle(request, options);
    return {
      response: {
        statusCode: fault.status,
        headers: fault.headers,
        body: Readable.from([Buffer.from(fault.body)]),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

/** One handler invocation as the event source saw it. */
export interface Invocation {
  records: Array<{ messageId: string; body: string }>;
  failed: string[];
}

/** Wraps an SQS handler to keep each batch it was given and the failures it reported. */
export function observe(handler: SqsHandler): { handler: SqsHandler; invocations: Invocation[] } {
  const invocations: Invocation[] = [];
  return {
    invocations,
    handler: async (event, context) => {
      const response = (await handler(event, context)) as SQSBatchResponse | undefined;
      invocations.push({
        records: event.Records.map((record) => ({ messageId: record.messageId, body: record.body })),
        failed: (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier),
      });
      return response;
    },
  };
}
