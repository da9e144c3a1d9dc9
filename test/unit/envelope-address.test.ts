import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSrs, replyWindowAddress, withoutSubaddress } from '../../functions/core/envelope-address.js';

describe('the address a per-sender reply window is kept under', () => {
  it.each([
    ['Anna.Lind@Gmail.com', 'annalind@gmail.com'],
    ['anna.lind+ssi@gmail.com', 'annalind@gmail.com'],
    ['a.n.n.a.l.i.n.d@googlemail.com', 'annalind@gmail.com'],
    ['ANNALIND+X+Y@GOOGLEMAIL.COM', 'annalind@gmail.com'],
    ['  annalind@gmail.com ', 'annalind@gmail.com'],
    ['SRS0=Xq3v=T7=gmail.com=anna.lind+x@alumni-mail.dk', 'annalind@gmail.com'],
    ['SRS1=Hh9z=alumni-mail.dk==Xq3v=T7=googlemail.com=Anna.Lind@relay-mail.dk', 'annalind@gmail.com'],
    ['Peter.Nielsen@iCloud.com', 'peter.nielsen@icloud.com'],
    ['peter.nielsen+ssi@icloud.com', 'peter.nielsen@icloud.com'],
  ])('keeps %s under %s', (address, key) => {
    expect(replyWindowAddress(address)).toBe(key);
  });

  it('keeps the dots outside Gmail, where they tell mailboxes apart', () => {
    expect(replyWindowAddress('p.nielsen@icloud.com')).not.toBe(replyWindowAddress('pn.ielsen@icloud.com'));
  });

  it('keeps a local part that starts with + as it is', () => {
    expect(withoutSubaddress('+tag')).toBe('+tag');
  });

  it('gives every case, +tag and dot spelling of a Gmail address the same key', () => {
    const local = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(
        local,
        fc.array(fc.boolean(), { maxLength: 12 }),
        fc.option(fc.stringMatching(/^[a-z0-9.-]{1,8}$/)),
        fc.boolean(),
        (name, dots, tag, googlemail) => {
          const dotted = [...name].map((char, i) => (dots[i] && i > 0 ? `.${char}` : char)).join('');
          const spelled = `${dotted}${tag === null ? '' : `+${tag}`}@${googlemail ? 'GoogleMail.com' : 'gmail.com'}`;
          expect(replyWindowAddress(spelled.toUpperCase())).toBe(`${name}@gmail.com`);
        },
      ),
    );
  });
});

describe('SRS decoding', () => {
  it.each([
    ['SRS0=HHH=TT=example.com=user@forwarder.example', 'user@example.com'],
    ['srs0+HHH=TT=example.com=user@forwarder.example', 'user@example.com'],
    ['SRS0=HHH=TT=example.com=user=with=equals@forwarder.example', 'user=with=equals@example.com'],
    ['SRS1=HHH=first.example==HHH=TT=example.com=user@second.example', 'user@example.com'],
  ])('finds the original sender in %s', (address, original) => {
    expect(decodeSrs(address)).toBe(original);
  });

  it.each(['user@example.com', 'SRS0@example.com', 'SRS0=only=two@example.com', 'bounce-123=x@example.com'])(
    'finds no SRS in %s',
    (address) => {
      expect(decodeSrs(address)).toBeNull();
    },
  );
});
