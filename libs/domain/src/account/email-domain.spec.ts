import { DomainError } from '../shared/domain-error';
import { accountDomainForEmail, freeMailDomains } from './email-domain';

describe('accountDomainForEmail', () => {
  it.each([
    ['ada@acme.com', 'acme.com'],
    ['Ada.Lovelace@ACME.com', 'acme.com'],
    ['ada@eu.mail.acme.com', 'acme.com'],
    ['ada@acme.co.uk', 'acme.co.uk'],
    ['ada@sales.acme.com.au', 'acme.com.au'],
    ['ada@acme.io', 'acme.io'],
    ['ada@acme.de', 'acme.de'],
  ])('gives the company domain of %s as %s', (email, domain) => {
    expect(accountDomainForEmail(email)).toBe(domain);
  });

  it.each([
    'ada@gmail.com',
    'ada@googlemail.com',
    'ada@yahoo.com',
    'ada@yahoo.co.uk',
    'ada@yahoo.fr',
    'ada@outlook.com',
    'ada@hotmail.com',
    'ada@hotmail.de',
    'ada@icloud.com',
    'ada@proton.me',
    'ada@gmx.de',
    'ada@gmx.net',
    'ada@aol.com',
    'ada@web.de',
  ])('gives no company domain for the free-mail address %s', (email) => {
    expect(accountDomainForEmail(email)).toBeNull();
  });

  it('treats every listed free-mail domain as free mail', () => {
    expect(freeMailDomains.filter((domain) => accountDomainForEmail(`someone@${domain}`) !== null)).toEqual([]);
  });

  it('rejects a malformed address', () => {
    expect(() => accountDomainForEmail('not-an-email')).toThrow(DomainError);
  });
});
