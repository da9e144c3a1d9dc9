import type { HeaderLines } from 'mailparser';
import * as z from 'zod';
import { domainOf } from './address.js';
import { isAddressedToUs } from './addressed-to-us.js';
import type { TriageConfig } from './config.js';
import { isDeliverableDomain, matchesAnyDomain } from './domains.js';
import { decodeSrs, withoutSubaddress } from './envelope-address.js';
import { firstHeader } from './headers.js';
import type { ParsedMail } from './parse.js';
import { isAuthenticatedSender, readSenderEvidence } from './sender-authentication.js';
import type { Authentication, AutoReply, ReplyReason, ReplyTemplate, SenderKind, Topic } from './types.js';

export interface ReplyPolicyInput {
  mail: ParsedMail;
  /** SMTP MAIL FROM as SES saw it; '' for the null sender; undefined when unknown. */
  envelopeSender: string | undefined;
  topic: Topic;
  senderKind: SenderKind;
  authentication: Authentication;
  /** Why the mail is machine-made, if it is (machine-mail.ts); computed once per mail by triage. */
  machineReason: ReplyReason | null;
  /** The verdicts of SES's notification, when there is one (they outrank the stored headers). */
  notificationVerdicts?: Partial<Authentication>;
  /** SMTP RCPT TO as SES saw it (`receipt.recipients`); undefined when unknown. */
  envelopeRecipients?: string[];
}

export interface ReplyDecision {
  autoReply: AutoReply;
  /** The one address a reply goes to, when the decision is `send`. */
  replyTo: string | null;
}

const TEMPLATE_BY_TOPIC: Partial<Record<Topic, ReplyTemplate>> = {
  'fraud-sms': 'fraud-sms',
  'data-subject-request': 'data-subject-request',
  'processing-notice': 'processing-notice',
  general: 'general',
};

/**
 * Decides, without state, whether a mail gets an auto-reply (RFC 3834, RFC 5230). The
 * first reason that applies is the one recorded, so each reason is a stable answer to
 * "why was this not answered?". Per-sender dedup and the hourly cap come later, in the
 * auto-reply function, because they need state.
 */
export function decideReply(input: ReplyPolicyInput, config: TriageConfig): ReplyDecision {
  const target = replyTarget(input.mail, input.envelopeSender);
  const reason = suppressionReason(input, target, config);
  if (reason) return { autoReply: { decision: 'suppress', reason, template: null }, replyTo: null };
  return {
    autoReply: {
      decision: 'send',
      reason: 'eligible',
      template: TEMPLATE_BY_TOPIC[input.topic] ?? 'general',
    },
    replyTo: target.address,
  };
}

interface ReplyTarget {
  /** Null sender `<>`: nothing may ever be sent back (RFC 3834 §4, RFC 5321 §4.5.5). */
  isNull: boolean;
  address: string | null;
  /** True when the address is the envelope sender (SES's or Return-Path), false for the From fallback. */
  fromEnvelope: boolean;
}

/**
 * RFC 3834 §4: respond to the Return-Path (the envelope sender SES saw). Mail stored
 * without one (a file given to the CLI) falls back to From, as personal responders may.
 */
export function replyTarget(mail: ParsedMail, envelopeSender: string | undefined): ReplyTarget {
  const envelope = envelopeSender ?? returnPath(mail.headerLines);
  if (envelope !== undefined) {
    const address = envelope.replace(/^<|>$/g, '').trim();
    return { isNull: address === '', address: address || null, fromEnvelope: true };
  }
  return { isNull: false, address: mail.from?.address ?? null, fromEnvelope: false };
}

function returnPath(headerLines: HeaderLines): string | undefined {
  const value = firstHeader(headerLines, 'return-path');
  if (value === null) return undefined;
  const bracketed = /<([^<>]*)>/.exec(value);
  return bracketed ? (bracketed[1] ?? '') : value;
}

/**
 * The order is part of the contract (README, "Reply policy"): what the receiving host
 * rejected first, then what kind of mail it is, who sent it, where it was routed, whether
 * the address can be used, whether it is authenticated, and last whether the mail was
 * addressed to us and whether replies are on.
 */
function suppressionReason(
  input: ReplyPolicyInput,
  target: ReplyTarget,
  config: TriageConfig,
): ReplyReason | null {
  const { mail, authentication, topic, senderKind } = input;
  const evidence = readSenderEvidence({
    headerLines: mail.headerLines,
    receivingHost: config.receivingHost,
    envelopeSender: target.fromEnvelope ? (target.address ?? undefined) : undefined,
    notificationSpf: input.notificationVerdicts?.spf,
  });
  const authenticated = target.address !== null && isAuthenticatedSender(target.address, evidence);

  // No backscatter: never answer what scanning rejected or authentication refuted.
  if (authentication.spam === 'FAIL' || authentication.virus === 'FAIL') return 'spam-or-virus';
  if (authentication.dmarc === 'FAIL') return 'authentication-failed';
  if (authentication.spf === 'FAIL' && !authenticated) return 'authentication-failed';

  if (input.machineReason) return input.machineReason;
  // X-Loop is what list managers and procmail-style responders stamp on what they sent:
  // its presence alone means a machine has handled the mail on its way here.
  if (firstHeader(mail.headerLines, 'x-loop') !== null) return 'loop-detected';
  if (target.isNull) return 'null-sender';

  const fromAddress = mail.from?.address ?? null;
  const addressesToCheck = [target.address, fromAddress]
    .filter((value): value is string => Boolean(value))
    .flatMap((address) => {
      const original = decodeSrs(address);
      return original ? [address, original] : [address];
    });
  if (addressesToCheck.some(isSystemSender)) return 'system-sender';
  if (addressesToCheck.some(isNoReplySender)) return 'no-reply-sender';
  if (addressesToCheck.some((address) => isOwnAddress(address, config))) return 'own-address';

  if (topic === 'quarantine') return 'quarantine-topic';
  if (topic === 'partner') return 'partner-topic';
  if (senderKind === 'authority' || senderKind === 'company') return 'authority-or-company';

  if (!target.address) return 'missing-reply-address';
  if (!isValidReplyAddress(target.address)) return 'invalid-reply-address';
  // Reply only to an envelope sender the receiving host authenticated: SPF passed for its
  // domain or an aligned DKIM signature passed. Softfail, neutral, none, errors, unknown, or
  // a signature of some other domain: anyone could have written that address.
  if (!authenticated) return 'unauthenticated-sender';
  if (!isAddressedToUs(mail.headerLines, input.envelopeRecipients, config)) return 'not-addressed-to-us';
  if (!config.reply.enabled) return 'replies-disabled';
  return null;
}

function localPart(address: string): string {
  return address.slice(0, Math.max(0, address.lastIndexOf('@'))).toLowerCase();
}

/** Mailers, list managers and postmasters (RFC 3834 §4, RFC 5230 §4.6), `+tag` or not. */
function isSystemSender(address: string): boolean {
  return /^(mailer-daemon|postmaster|listserv|majordomo|mailman|daemon|root|abuse|bounce|bounces)$/.test(
    withoutSubaddress(localPart(address)),
  );
}

function isNoReplySender(address: string): boolean {
  const local = localPart(address);
  return (
    /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|ikke[-_.]?svar|ingen[-_.]?svar|svar[-_.]?ikke)([-_.+].*)?$/.test(
      local,
    ) ||
    /^owner-/.test(local) ||
    /-(request|owner|bounces?|errors)$/.test(local) ||
    /^(bounce|bounces)[-_.+]/.test(local) ||
    /^(notifications?|automated|autoreply|auto-reply)$/.test(local)
  );
}

function isOwnAddress(address: string, config: TriageConfig): boolean {
  const lower = address.toLowerCase();
  if (config.recipients.some((own) => own.toLowerCase() === lower)) return true;
  if (lower === config.reply.from.toLowerCase() || lower === config.forwardFrom.toLowerCase()) return true;
  return matchesAnyDomain(domainOf(lower), config.ownDomains);
}

// An address zod accepts, with the local part spelled out here: SRS addresses
// (`SRS0=HHH=TT=example.com=user@forwarder.example`) carry `=`, which zod's e-mail rule
// refuses, and they are where a forwarder wants replies to go.
const emailSyntax = z.email();
const DOT_ATOM_LOCAL = /^[A-Za-z0-9_'+=-]+(\.[A-Za-z0-9_'+=-]+)*$/;

/** One plain, deliverable mailbox: no display names, comments, IP literals or local domains. */
export function isValidReplyAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at < 1 || !DOT_ATOM_LOCAL.test(address.slice(0, at))) return false;
  if (!emailSyntax.safeParse(`x${address.slice(at)}`).success) return false;
  const domain = domainOf(address);
  return domain !== null && isDeliverableDomain(domain);
}
