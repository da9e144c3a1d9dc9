import type { SESClient, SendRawEmailCommandInput, SendRawEmailCommandOutput } from '@aws-sdk/client-ses';

// When each reply reached the SES emulator, to the millisecond. The emulator's own store
// keeps whole seconds only, and polling it for sub-second times would load the machine
// being measured. So the clock sits on the SES client the auto-reply function uses: a
// SendRawEmail answered 200 means the emulator has stored the mail (its front server
// answers only after the emulator did), so the moment the answer arrives is the moment
// the reply is visible in the emulator, give or take the loopback hop back.

/** One reply as the SES client saw it go out. */
export interface ObservedReply {
  /** performance.now() when SES answered the SendRawEmail. */
  at: number;
  sesMessageId: string;
  /** The reply's In-Reply-To header: the Message-ID of the mail it answers. */
  inReplyTo: string | null;
}

export interface ReplyClock {
  /** Replies seen so far, by the one address each went to. */
  readonly replies: ReadonlyMap<string, ObservedReply>;
  /** Resolves when a reply to `address` has been sent (at once if it already was). */
  replyTo(address: string, timeoutMs: number): Promise<ObservedReply>;
  /** Resolves when replies to all `addresses` have been sent. */
  repliesTo(addresses: readonly string[], timeoutMs: number): Promise<void>;
  /** SendRawEmail calls to more than one address, or to none (forwards): counted, not timed. */
  readonly otherSends: number;
}

class ReplyTimeout extends Error {
  override readonly name = 'ReplyTimeout';
}

/** Starts timing SendRawEmail answers on `ses`; for the lifetime of the client. */
export function startReplyClock(ses: SESClient): ReplyClock {
  const replies = new Map<string, ObservedReply>();
  const waiters = new Map<string, () => void>();
  let otherSends = 0;

  ses.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'SendRawEmailCommand') {
        const at = performance.now();
        const input = args.input as SendRawEmailCommandInput;
        const output = result.output as SendRawEmailCommandOutput;
        const to = input.Destinations ?? [];
        if (to.length === 1 && to[0]) {
          const address = to[0].toLowerCase();
          replies.set(address, {
            at,
            sesMessageId: output.MessageId ?? '',
            inReplyTo: inReplyToOf(input.RawMessage?.Data),
          });
          waiters.get(address)?.();
        } else {
          otherSends++;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'benchReplyClock' },
  );

  const replyTo = (address: string, timeoutMs: number) => {
    const key = address.toLowerCase();
    return new Promise<ObservedReply>((resolve, reject) => {
      const seen = replies.get(key);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(key);
        reject(new ReplyTimeout(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.set(key, () => {
        clearTimeout(timer);
        waiters.delete(key);
        resolve(replies.get(key) as ObservedReply);
      });
    });
  };

  return {
    replies,
    replyTo,
    async repliesTo(addresses, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      const missing = () => addresses.filter((address) => !replies.has(address.toLowerCase()));
      try {
        await Promise.all(addresses.map((address) => replyTo(address, timeoutMs)));
      } catch (error) {
        if (!(error instanceof ReplyTimeout)) throw error;
        throw new ReplyTimeout(
          `${missing().length} of ${addresses.length} replies had not been sent after ${Math.round(
            (performance.now() - deadline + timeoutMs) / 1000,
          )} s`,
        );
      }
    },
    get otherSends() {
      return otherSends;
    },
  };
}

/** The In-Reply-To header of a raw MIME message (header block only, folded lines joined). */
export function inReplyToOf(raw: Uint8Array | string | undefined): string | null {
  if (!raw) return null;
  const text =
    typeof raw === 'string'
      ? raw
      : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return /^in-reply-to:[ \t]*(.*?)[ \t]*$/im.exec(head)?.[1] ?? null;
}
