/**
 * email: e-mail addresses, told apart into role mailboxes (info@, press@,
 * complaints@: the organisation's public contact points) and addresses
 * that belong to a person (jane.moss.1987@gmail.com, r.okafor@uni.ac.uk).
 *
 * An address is personal when
 *  - it is at a free or ISP mail provider (gmail.com, btinternet.com, ...)
 *    and its local part names no role ("kelbrook.foodbank.info@gmail.com"
 *    is still a role mailbox), or
 *  - its local part looks like a name: two or three parts joined by . _ or -
 *    ("jane.smith", "j.smith", "mary-jane_smith"), none of them a role word.
 * A single word at an organisation's own domain ("highways@", "grants@")
 * is treated as a team mailbox: guessing that "jsmith@" is a person would
 * flag every departmental address we do not happen to list.
 */
import { z } from 'zod';
import type { LocalHit } from '../types';
import { defineDetector } from './types';

/**
 * Words that mark a mailbox as belonging to a role, team or list rather than
 * a person, compared with the whole local part and with each of its parts
 * ("customer.services", "npt-kelbrook-all"). Run-together words
 * ("lostproperty@") need no entry: one word at an organisation's domain is
 * a team mailbox anyway.
 */
export const ROLE_WORDS = [
  // general contact points
  'info', 'information', 'enquiries', 'enquiry', 'inquiries', 'inquiry', 'contact', 'contactus', 'hello', 'hi', 'general',
  'mail', 'post', 'office', 'reception', 'frontdesk', 'switchboard', 'admin', 'administrator', 'team', 'staff', 'all', 'everyone',
  'group', 'list', 'dept', 'department', 'unit',
  // service and support
  'help', 'helpdesk', 'helpline', 'support', 'service', 'services', 'servicedesk', 'customer', 'customers', 'customerservice',
  'customerservices', 'care', 'feedback', 'complaints', 'complaint', 'compliments', 'pals', 'advice', 'queries', 'query',
  // no-reply and system
  'noreply', 'no-reply', 'donotreply', 'do-not-reply', 'notifications', 'alerts', 'webmaster', 'postmaster', 'hostmaster', 'abuse',
  'root', 'system', 'auto',
  // communications
  'press', 'media', 'news', 'newsroom', 'newsdesk', 'comms', 'communications', 'marketing', 'pr', 'social', 'socialmedia', 'editor',
  'web', 'website', 'digital',
  // information governance
  'foi', 'dpo', 'privacy', 'dataprotection', 'data', 'gdpr', 'sar', 'records', 'legal', 'compliance', 'governance', 'audit',
  'safeguarding', 'security', 'it', 'ict',
  // money and transactions
  'bookings', 'booking', 'reservations', 'tickets', 'boxoffice', 'orders', 'order', 'sales', 'shop', 'accounts', 'accountspayable',
  'finance', 'billing', 'invoices', 'payments', 'payroll', 'revenues', 'benefits', 'rent', 'fundraising', 'donations', 'donate',
  'grants', 'funding', 'membership', 'members', 'subscriptions', 'lostproperty', 'lost',
  // people and places
  'hr', 'jobs', 'careers', 'recruitment', 'vacancies', 'volunteer', 'volunteers', 'volunteering', 'admissions', 'registry',
  'scholarships', 'studentservices', 'students', 'exams', 'library', 'libraries', 'visit', 'visitors', 'events', 'venue',
  'education', 'learning', 'schools', 'parents', 'governors', 'clerk', 'secretary', 'chair', 'treasurer', 'trustees', 'council',
  'planning', 'housing', 'highways', 'licensing', 'parking', 'waste', 'recycling', 'repairs', 'transport', 'travel', 'community',
  'partnerships', 'research', 'accessibility', 'facilities', 'estates', 'procurement',
  // shared and guest accounts ("partner.ops@", "guest.wifi@")
  'ops', 'operations', 'partner', 'partners', 'guest', 'guests', 'shared',
];

/** Free and ISP mail providers: an address there belongs to a person or a very small group. */
export const FREE_MAIL_DOMAINS = [
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.co.uk', 'outlook.com', 'live.com', 'live.co.uk', 'msn.com', 'yahoo.com',
  'yahoo.co.uk', 'ymail.com', 'rocketmail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'aol.co.uk', 'protonmail.com',
  'proton.me', 'pm.me', 'gmx.com', 'gmx.co.uk', 'gmx.de', 'mail.com', 'zoho.com', 'fastmail.com', 'hushmail.com', 'tutanota.com',
  'yandex.com', 'btinternet.com', 'btopenworld.com', 'sky.com', 'virginmedia.com', 'ntlworld.com', 'blueyonder.co.uk',
  'talktalk.net', 'tiscali.co.uk', 'plus.net', 'eircom.net', 'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net',
  'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net', 'shaw.ca', 'rogers.com', 'sympatico.ca', 'bigpond.com',
  'optusnet.com.au', 'xtra.co.nz', 'web.de', 'orange.fr', 'free.fr', 'qq.com', '163.com',
];

const EMAIL = /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]+)@((?:[\p{L}\p{N}-]+\.)+\p{L}{2,})(?![\p{L}\p{N}-])/gu;

const Options = z
  .object({
    personalOnly: z.boolean().default(true).describe('Report only personal addresses (false: every address).'),
    roleWords: z.array(z.string().min(1)).default([]).describe('More words that mark a role mailbox.'),
    freeMailDomains: z.array(z.string().min(3)).default([]).describe('More free or ISP mail domains.'),
  })
  .strict();

export type EmailOptions = z.infer<typeof Options>;

export type EmailKind = 'personal' | 'role';

export function classifyEmail(
  local: string,
  domain: string,
  roleWords: ReadonlySet<string> = DEFAULT_ROLE_SET,
  freeMail: ReadonlySet<string> = DEFAULT_FREE_SET,
): EmailKind {
  const l = local.toLowerCase();
  const parts = l.split(/[._+-]+/).map((p) => p.replace(/\d+/g, '')).filter(Boolean);
  const isRole = roleWords.has(l) || parts.some((p) => roleWords.has(p));
  if (isRole) return 'role';
  if (freeMail.has(domain.toLowerCase())) return 'personal';
  // first.last, f.last, first_last, first-middle-last (digits such as a birth year allowed)
  if (parts.length >= 2 && parts.length <= 3 && l.split(/[._+-]+/).filter(Boolean).length <= 4 && parts.every((p) => /^\p{L}+$/u.test(p))) return 'personal';
  return 'role';
}

const DEFAULT_ROLE_SET: ReadonlySet<string> = new Set(ROLE_WORDS);
const DEFAULT_FREE_SET: ReadonlySet<string> = new Set(FREE_MAIL_DOMAINS);

export const emailDetector = defineDetector<EmailOptions>({
  name: 'email',
  description: 'E-mail addresses; by default only those that belong to a person, not role mailboxes such as info@ or press@.',
  options: Options as z.ZodType<EmailOptions>,
  create(options) {
    const roleWords = new Set([...ROLE_WORDS, ...options.roleWords.map((w) => w.toLowerCase())]);
    const freeMail = new Set([...FREE_MAIL_DOMAINS, ...options.freeMailDomains.map((d) => d.toLowerCase())]);
    return {
      keywords: ['@'],
      find(s): LocalHit[] {
        const hits: LocalHit[] = [];
        EMAIL.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = EMAIL.exec(s.text))) {
          let local = m[1]!;
          let start = m.index;
          // A sentence full stop or other punctuation before the address is not part of it.
          const lead = /^[._%+-]+/.exec(local)?.[0].length ?? 0;
          local = local.slice(lead);
          start += lead;
          if (!local) continue;
          // user:secret@host inside a link is a login, not a mailbox (credentials rules cover it); mailto: still counts.
          if (/[a-z][a-z0-9+.-]*:\/\/[^\s/@]*$/i.test(s.text.slice(Math.max(0, start - 200), start))) continue;
          if (options.personalOnly && classifyEmail(local, m[2]!, roleWords, freeMail) !== 'personal') continue;
          hits.push({ start, end: m.index + m[0].length });
        }
        return hits;
      },
    };
  },
});
