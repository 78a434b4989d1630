import { accountIdForDomain } from './account-ids';

describe('accountIdForDomain', () => {
  it('gives one company one id, whichever of its hosts names it', () => {
    const id = accountIdForDomain('acme.com');

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(['www.acme.com', 'ACME.com', 'eu.acme.com'].map(accountIdForDomain)).toEqual([id, id, id]);
  });

  it('keeps country second-level domains apart from their suffix', () => {
    expect(accountIdForDomain('eu.acme.co.uk')).toBe(accountIdForDomain('acme.co.uk'));
    expect(accountIdForDomain('acme.co.uk')).not.toBe(accountIdForDomain('globex.co.uk'));
  });

  it('gives different companies different ids', () => {
    expect(accountIdForDomain('acme.com')).not.toBe(accountIdForDomain('acme.io'));
  });
});
