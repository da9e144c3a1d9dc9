import type { Bilingual, Block, Language, Link } from './reply-texts.js';

// How a citizen reaches SSI securely, from SSI's public page on secure communication
// (en.ssi.dk/about-us/contact/secure-communication-with-ssi). Every reply carries it.
//
// The HTML alternative links to the public sites named here, and only to them: each link's
// text is the site's own name, so what a reader sees is where the link goes, and a reply
// that tells people not to click links in messages never carries one it does not name.

/** The pages a reply links to. Writing to an authority on borger.dk starts with logging in to Digital Post there, so the link is the site's front page. */
export const LINKS = {
  borger: 'https://www.borger.dk/',
  mitDk: 'https://mit.dk/',
  eBoks: 'https://www.e-boks.com/',
  // SSI's page on secure communication; its English address is the one verified, the
  // Danish reply links to SSI's front page.
  ssiDa: 'https://www.ssi.dk/',
  ssiEn: 'https://en.ssi.dk/about-us/contact/secure-communication-with-ssi',
} as const;

/** The hosts a reply may link to; tests hold every link of every reply to this list. */
export const LINK_HOSTS: readonly string[] = [
  ...new Set(Object.values(LINKS).map((href) => new URL(href).host)),
];

const link = (text: string, href: string): Link => ({ text, href });

export const DIGITAL_POST_STEPS: Bilingual<Block> = {
  da: [
    'Sådan skriver du sikkert til os med Digital Post: gå til ',
    link('borger.dk', LINKS.borger),
    ' og vælg „Skriv til en offentlig myndighed“, eller brug appen ',
    link('mit.dk', LINKS.mitDk),
    ' eller ',
    link('e-Boks', LINKS.eBoks),
    '. Vælg Statens Serum Institut som modtager og derefter et kontaktpunkt. Er du i tvivl om, hvilket kontaktpunkt du skal vælge, så vælg hovedpostkassen.',
  ],
  en: [
    'To write to us securely through Digital Post: go to ',
    link('borger.dk', LINKS.borger),
    ' and choose “Skriv til en offentlig myndighed” (Write to a public authority), or use the ',
    link('mit.dk', LINKS.mitDk),
    ' or ',
    link('e-Boks', LINKS.eBoks),
    ' app. Choose Statens Serum Institut as the recipient and then a contact point. If you are unsure which contact point to choose, choose the main mailbox (hovedpostkasse).',
  ],
};

/** The case reference, so what the citizen writes in Digital Post can be joined to this mail. */
export function quoteReference(language: Language, reference: string): Block {
  return language === 'da'
    ? [
        'Oplys venligst referencen ',
        { strong: reference },
        ', når du skriver via Digital Post, så vi kan se, at det hører sammen med denne e-mail.',
      ]
    : [
        'Please quote reference ',
        { strong: reference },
        ' when you write through Digital Post, so that we can link it to this e-mail.',
      ];
}

export const LETTER_IF_EXEMPT: Bilingual<Block> = {
  da: [
    'Er du fritaget for Digital Post, kan du sende et brev til:\nStatens Serum Institut\nArtillerivej 5\n2300 København S\nSkriv på kuverten, hvilken afdeling eller person brevet er til.',
  ],
  en: [
    'If you are exempt from Digital Post, you can send a letter to:\nStatens Serum Institut\nArtillerivej 5\n2300 København S\nDenmark\nPlease write on the envelope which department or person the letter is for.',
  ],
};

export const READ_MORE: Bilingual<Block> = {
  da: ['Læs mere om, hvordan du kommunikerer sikkert med os, på ', link('ssi.dk', LINKS.ssiDa), '.'],
  en: [
    'Read more about communicating securely with us on ',
    link('en.ssi.dk', LINKS.ssiEn),
    ' (“Secure communication with SSI”).',
  ],
};

export const AUTOMATIC_REPLY_NOTE: Bilingual<Block[]> = {
  da: [['Dette er et automatisk svar.'], ['Med venlig hilsen\nStatens Serum Institut']],
  en: [['This is an automatic reply.'], ['Kind regards\nStatens Serum Institut']],
};
