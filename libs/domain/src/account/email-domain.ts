import { emailAddress } from '../shared/validation';

// Free-mail providers: an address here says nothing about the person's
// employer, so it must never attach a contact to an account.
export const freeMailDomains: readonly string[] = [
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com',
  'aol.com', 'aim.com', 'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me', 'ymail.com', 'rocketmail.com', 'mail.com',
  'email.com', 'gmx.com', 'gmx.net', 'web.de', 't-online.de', 'freenet.de', 'mail.ru', 'inbox.ru', 'bk.ru', 'list.ru',
  'yandex.com', 'yandex.ru', 'zohomail.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'tuta.io', 'qq.com', '163.com',
  '126.com', 'sina.com', 'naver.com', 'daum.net', 'libero.it', 'virgilio.it', 'laposte.net', 'orange.fr', 'free.fr',
  'sfr.fr', 'wanadoo.fr', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'onet.pl', 'rediffmail.com', 'comcast.net',
  'verizon.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'btinternet.com', 'sky.com', 'virginmedia.com',
  'bigpond.com', 'shaw.ca', 'rogers.com', 'uol.com.br', 'bol.com.br',
];

/** Providers that run the same free service under many country domains (yahoo.fr, hotmail.co.uk, gmx.de…). */
export const freeMailProviders: readonly string[] = ['yahoo', 'hotmail', 'outlook', 'live', 'gmx', 'yandex', 'aol', 'windowslive'];

// Second-level public suffixes common in B2B data. Under them the registrable
// domain is three labels (acme.co.uk), elsewhere two (acme.com). A full
// public-suffix list is not needed to group business email by company.
const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'ltd.uk', 'plc.uk', 'me.uk', 'net.uk', 'com.au', 'net.au', 'org.au', 'edu.au',
  'gov.au', 'co.nz', 'org.nz', 'net.nz', 'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'co.kr', 'or.kr', 'com.br', 'net.br',
  'org.br', 'com.mx', 'com.ar', 'com.co', 'com.tr', 'com.cn', 'net.cn', 'org.cn', 'com.hk', 'com.sg', 'com.my', 'com.tw',
  'com.ph', 'co.in', 'net.in', 'org.in', 'co.za', 'co.il', 'co.id', 'com.pl', 'com.ua', 'co.th', 'com.vn', 'com.sa',
  'com.eg', 'com.ng', 'co.ke', 'com.pe', 'com.pk',
]);

const exactFreeMail: ReadonlySet<string> = new Set(freeMailDomains);
const providerLabels: ReadonlySet<string> = new Set(freeMailProviders);

/** `mail.eu.acme.co.uk` → `acme.co.uk`; null when the host is itself a public suffix. */
export function registrableDomain(host: string): string | null {
  const labels = host.toLowerCase().split('.');
  const suffixLength = labels.length >= 2 && MULTI_LABEL_SUFFIXES.has(labels.slice(-2).join('.')) ? 2 : 1;
  return labels.length > suffixLength ? labels.slice(-(suffixLength + 1)).join('.') : null;
}

export function isFreeMailDomain(domain: string): boolean {
  const registrable = registrableDomain(domain);
  if (registrable === null) {
    return false;
  }
  return exactFreeMail.has(registrable) || providerLabels.has(registrable.split('.')[0]);
}

/**
 * The company domain an email address points to, or null when the address is
 * at a free-mail provider. Throws on a malformed address.
 */
export function accountDomainForEmail(email: string): string | null {
  const address = emailAddress(email, 'email');
  const host = address.slice(address.lastIndexOf('@') + 1);
  return isFreeMailDomain(host) ? null : registrableDomain(host);
}
