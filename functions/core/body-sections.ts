// A mail body in three parts: what the sender wrote now, what they forwarded (a pasted or
// forwarded SMS, a letter), and the quoted history of a reply (often our own auto-reply,
// which names rights and fraud words and must not count as the sender's words).

export interface BodySections {
  /** The sender's own words, before any forwarded block or quoted history. */
  own: string;
  /** A forwarded message: iPhone, Android, Gmail and Outlook forward blocks. */
  forwarded: string;
  /** Reply history: "On … wrote:", "Den … skrev:", "> " lines. */
  quoted: string;
}

// Forward headers of the common clients, in Danish and English.
const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*)?(?:begin forwarded message|start på videresendt besked|videresendt besked|videresendt meddelelse|forwarded message|original message|oprindelig (?:besked|meddelelse)|original meddelelse|weitergeleitete nachricht|vidarebefordrat meddelande)\s*:?\s*(?:-{2,})?\s*$/iu;
// Reply attributions: "On Tue, 10 Nov 2026, Ann <a@b> wrote:", "Den 10. nov. 2026 kl. 10.13 skrev Ann:",
// "tir. 10. nov. 2026 kl. 10.13 skrev Ann <a@b>:", "Am … schrieb …:".
const REPLY_ATTRIBUTION = /(?:^|\s)(?:wrote|skrev|schrieb|a écrit|skrev følgende)\s*:\s*$/iu;
const REPLY_ATTRIBUTION_START = /^\s*(?:on|den|d\.|am|le)\s.{0,200}$/iu;
// Outlook's header block, used for replies and forwards alike: "From: …" then "Sent: …".
const OUTLOOK_FROM = /^\s*\*?(?:from|fra|von)\s*:\*?\s*\S/iu;
const OUTLOOK_SENT = /^\s*\*?(?:sent|sendt|date|dato|gesendet)\s*:\*?\s*\S/iu;
const QUOTED_LINE = /^\s*>/u;
const FORWARD_SUBJECT = /^\s*(?:\[[^\]]{0,40}\]\s*)*(?:fw|fwd|vs|wg|tr|videresendt|forward)\s*[:：]/iu;

/**
 * Splits a plain-text body. The subject tells an Outlook block's kind: after "VS:"/"Fwd:" it
 * introduces a forwarded message, otherwise reply history.
 */
export function splitBody(text: string, subject: string): BodySections {
  const lines = text.split(/\r?\n/);
  const forwardSubject = FORWARD_SUBJECT.test(subject);
  const own: string[] = [];
  const quotedLines: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const rest = () => lines.slice(i + 1).join('\n');
    if (FORWARD_MARKER.test(line)) {
      // Samsung and Outlook write "Original message" for forwards as well as replies.
      const isForward = !/original|oprindelig/iu.test(line) || forwardSubject;
      return finish(own, quotedLines, isForward ? rest() : '', isForward ? '' : rest());
    }
    if (REPLY_ATTRIBUTION.test(line) && (REPLY_ATTRIBUTION_START.test(line) || /\d/.test(line))) {
      return finish(own, quotedLines, '', rest());
    }
    // An attribution folded over two lines by the client.
    const joined = `${line} ${lines[i + 1] ?? ''}`;
    if (REPLY_ATTRIBUTION_START.test(line) && REPLY_ATTRIBUTION.test(joined) && /\d/.test(joined)) {
      return finish(own, quotedLines, '', lines.slice(i + 2).join('\n'));
    }
    if (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 4).some((next) => OUTLOOK_SENT.test(next))) {
      const block = lines.slice(i).join('\n');
      return finish(own, quotedLines, forwardSubject ? block : '', forwardSubject ? '' : block);
    }
    if (QUOTED_LINE.test(line)) quotedLines.push(line.replace(/^\s*>+\s?/u, ''));
    else own.push(line);
  }
  return finish(own, quotedLines, '', '');
}

function finish(own: string[], quotedLines: string[], forwarded: string, quoted: string): BodySections {
  const quotedText = [quotedLines.join('\n'), quoted].filter(Boolean).join('\n');
  return { own: own.join('\n').trim(), forwarded: forwarded.trim(), quoted: quotedText.trim() };
}
