import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueMessageBody } from '../../functions/adapters/queue-message-body.js';

// What the strictest SQS readers accept, code unit by code unit (the local emulator's rule).
const OUTSIDE_STRICT_SQS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/;

describe('queueMessageBody', () => {
  it('writes characters beyond the BMP as escape pairs, so the body is the same JSON in one plane', () => {
    const body = queueMessageBody({ subject: 'Hej 😀 𝔘' });
    expect(body).toBe('{"subject":"Hej \\ud83d\\ude00 \\ud835\\udd18"}');
    expect(JSON.parse(body)).toEqual({ subject: 'Hej 😀 𝔘' });
  });

  it('round-trips any value and leaves no character SQS’s strictest readers refuse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const body = queueMessageBody(value);
        expect(body).not.toMatch(OUTSIDE_STRICT_SQS);
        expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
