import type { Channel } from './channel';
import { channelRuleSet, customiseChannelRules, type ChannelInput, type ChannelRule } from './channel-rules';
import { defaultChannelRules, defaultChannelRuleSet } from './default-channel-rules';

type Example = [string, ChannelInput, Channel];

const utm = (source: string | null, medium: string | null, campaign: string | null = null) => ({ source, medium, campaign });

const examples: Example[] = [
  ['Google Ads, tagged cpc', { utm: utm('google', 'cpc', 'brand_terms') }, 'paid_search'],
  ['Bing Ads, tagged ppc', { utm: utm('bing', 'ppc') }, 'paid_search'],
  ['Google Ads auto-tagged with a gclid only', { landingPage: 'https://acme.example/pricing?gclid=Cj0KCQjw' }, 'paid_search'],
  ['Microsoft Ads auto-tagged with an msclkid, arriving from bing.com', { referrer: 'https://www.bing.com/', landingPage: 'https://acme.example/?msclkid=9f2' }, 'paid_search'],
  ['a paid_search medium from a source we do not list', { utm: utm('capterra_search', 'paid_search') }, 'paid_search'],
  ['LinkedIn sponsored content, tagged cpc', { utm: utm('linkedin', 'cpc', 'spring_webinar') }, 'paid_social'],
  ['LinkedIn ads tagged paid_social', { utm: utm('LinkedIn', 'Paid_Social') }, 'paid_social'],
  ['Facebook ads tagged paid', { utm: utm('facebook', 'paid') }, 'paid_social'],
  ['Meta ads tagged cpm', { utm: utm('fb', 'cpm') }, 'paid_social'],
  ['X promoted post, tagged paid_social', { utm: utm('x', 'paid_social') }, 'paid_social'],
  ['LinkedIn lead-gen click id only', { landingPage: 'https://acme.example/lp?li_fat_id=abc-123' }, 'paid_social'],
  ['an organic LinkedIn post, tagged social', { utm: utm('linkedin', 'social', 'product_launch') }, 'organic_social'],
  ['an organic Facebook share, tagged with the source only', { utm: utm('facebook', null) }, 'organic_social'],
  ['a Twitter link, by referrer t.co', { referrer: 'https://t.co/AbC123' }, 'organic_social'],
  ['an X post, by referrer x.com', { referrer: 'https://x.com/acme/status/1' }, 'organic_social'],
  ['the LinkedIn app, by its Android referrer', { referrer: 'android-app://com.linkedin.android/' }, 'organic_social'],
  ['Facebook link shim, by referrer l.facebook.com, despite its fbclid', { referrer: 'https://l.facebook.com/', landingPage: 'https://acme.example/?fbclid=IwAR0' }, 'organic_social'],
  ['Google organic, by referrer', { referrer: 'https://www.google.com/' }, 'organic_search'],
  ['Google organic, country domain', { referrer: 'https://www.google.co.uk/' }, 'organic_search'],
  ['DuckDuckGo organic, by referrer', { referrer: 'https://duckduckgo.com/' }, 'organic_search'],
  ['tagged organic medium', { utm: utm('google', 'organic') }, 'organic_search'],
  ['a newsletter, tagged medium email', { utm: utm('newsletter', 'email', 'march_digest') }, 'email'],
  ['a newsletter, tagged medium newsletter', { utm: utm('acme_digest', 'newsletter') }, 'email'],
  ['an email tagged in capitals with stray spaces', { utm: utm('  Mailchimp ', ' EMAIL ') }, 'email'],
  ['a sponsored slot in an industry newsletter', { utm: utm('saas_weekly', 'Newsletter', 'sponsor_slot') }, 'email'],
  ['an email open, which carries no tagging', { kind: 'EMAIL_OPEN' }, 'email'],
  ['a link clicked in Gmail, by referrer', { referrer: 'https://mail.google.com/' }, 'email'],
  ['a blog that linked to us', { referrer: 'https://blog.revopsweekly.example/best-tools-2024' }, 'referral'],
  ['a partner blog tagged as referral', { utm: utm('partner_blog', 'referral') }, 'referral'],
  ['a tagged source no rule knows', { utm: utm('hackernews_digest', null) }, 'referral'],
  ['direct: no tagging, no referrer', {}, 'direct'],
  ['direct: tagged (direct) / (none)', { utm: utm('(direct)', '(none)') }, 'direct'],
  ['direct: only blanks', { utm: utm('  ', ''), referrer: ' ' }, 'direct'],
  ['a webinar registration tagged medium webinar', { utm: utm('on24', 'webinar', 'q2_pipeline_webinar') }, 'events'],
  ['a trade-show badge scan tagged event', { utm: utm('saastr', 'event') }, 'events'],
  ['a campaign named for a summit, from a source no rule knows', { utm: utm('hubspot', null, 'revops-summit-2024') }, 'events'],
  ['a webinar attendance, which carries no tagging', { kind: 'WEBINAR' }, 'events'],
  ['an event attendance', { kind: 'EVENT_ATTENDED' }, 'events'],
  ['a partner co-marketing link', { utm: utm('consultancy_x', 'partner') }, 'partner'],
  ['an affiliate link', { utm: utm('partnerstack', 'affiliate') }, 'partner'],
  ['an Outreach sequence email', { utm: utm('outreach', 'email', 'q2_enterprise_sequence') }, 'sales_outbound'],
  ['a Salesloft cadence step', { utm: utm('Salesloft', 'cadence') }, 'sales_outbound'],
  ['a cold email tagged outbound', { utm: utm('gmail', 'outbound') }, 'sales_outbound'],
  ['a discovery call', { kind: 'CALL' }, 'sales_outbound'],
  ['a demo', { kind: 'DEMO' }, 'sales_outbound'],
  ['programmatic display via DV360', { utm: utm('dv360', 'display') }, 'display'],
  ['a retargeting banner tagged cpm from a network we do not list', { utm: utm('adnetwork_x', 'cpm') }, 'display'],
  ['Criteo retargeting, by source', { utm: utm('criteo', null) }, 'display'],
  ['a review site listing bought per click', { utm: utm('capterra', 'cpc') }, 'display'],
  ['content syndication', { utm: utm('netline', 'content_syndication') }, 'content'],
  ['a guest post tagged content', { utm: utm('devto', 'content') }, 'content'],
];

describe('Channel classification', () => {
  it('is tested on at least 30 realistic touches', () => {
    expect(examples.length).toBeGreaterThanOrEqual(30);
  });

  it.each(examples)('puts %s in its channel', (_, input, channel) => {
    expect(defaultChannelRuleSet.classify(input)).toBe(channel);
  });

  it('falls back to direct when no rule applies', () => {
    const onlyEmail: ChannelRule = { id: 'only-email', channel: 'email', when: [{ field: 'medium', match: 'equals', value: 'email' }] };
    expect(channelRuleSet([onlyEmail]).classify({ utm: utm('x', 'y') })).toBe('direct');
  });

  describe('when customised', () => {
    const internalTraffic: ChannelRule = {
      id: 'own-site',
      channel: 'direct',
      when: [{ field: 'referrerHost', match: 'domain-in', value: ['acme.example'] }],
    };

    it('checks prepended rules first', () => {
      const rules = channelRuleSet(customiseChannelRules({ prepend: [internalTraffic] }, defaultChannelRules));
      expect(rules.classify({ referrer: 'https://docs.acme.example/start' })).toBe('direct');
      expect(defaultChannelRuleSet.classify({ referrer: 'https://docs.acme.example/start' })).toBe('referral');
    });

    it('replaces a rule in place', () => {
      const capterraIsSearch: ChannelRule = {
        id: 'paid-other',
        channel: 'paid_search',
        when: [{ field: 'medium', match: 'regex', value: '^(cpc|ppc)$' }],
      };
      const rules = channelRuleSet(customiseChannelRules({ replace: [capterraIsSearch] }, defaultChannelRules));
      expect(rules.classify({ utm: utm('capterra', 'cpc') })).toBe('paid_search');
      const positionOf = (list: readonly ChannelRule[]) => list.findIndex((rule) => rule.id === 'paid-other');
      expect(positionOf(rules.rules)).toBe(positionOf(defaultChannelRules));
    });

    it('removes a rule', () => {
      const rules = channelRuleSet(customiseChannelRules({ remove: ['sales-kind'] }, defaultChannelRules));
      expect(rules.classify({ kind: 'CALL' })).toBe('direct');
    });

    it('refuses to replace a rule that does not exist', () => {
      expect(() => customiseChannelRules({ replace: [{ ...internalTraffic, id: 'nope' }] }, defaultChannelRules)).toThrow(
        expect.objectContaining({ code: 'INVALID_CHANNEL_RULE', field: 'replace[0].id' }),
      );
    });

    it('refuses to remove a rule that does not exist', () => {
      expect(() => customiseChannelRules({ remove: ['nope'] }, defaultChannelRules)).toThrow(
        expect.objectContaining({ code: 'INVALID_CHANNEL_RULE', field: 'remove[0]' }),
      );
    });
  });

  describe('refuses a rule set', () => {
    const rule = (overrides: Record<string, unknown>): ChannelRule =>
      ({ id: 'r', channel: 'email', when: [{ field: 'medium', match: 'equals', value: 'email' }], ...overrides }) as ChannelRule;

    it.each<[string, ChannelRule[], string]>([
      ['with two rules of the same id', [rule({}), rule({})], 'rules[1].id'],
      ['with a rule without an id', [rule({ id: '' })], 'rules[0].id'],
      ['with a channel that does not exist', [rule({ channel: 'tv' })], 'rules[0].channel'],
      ['with a rule without conditions', [rule({ when: [] })], 'rules[0].when'],
      ['with a field that does not exist', [rule({ when: [{ field: 'gclid', match: 'present' }] })], 'rules[0].when[0].field'],
      ['with a match kind that does not exist', [rule({ when: [{ field: 'medium', match: 'starts-with', value: 'e' }] })], 'rules[0].when[0].match'],
      ['with a broken regular expression', [rule({ when: [{ field: 'medium', match: 'regex', value: '(' }] })], 'rules[0].when[0].value'],
      ['with an empty list', [rule({ when: [{ field: 'medium', match: 'in', value: [] }] })], 'rules[0].when[0].value'],
    ])('%s', (_, rules, field) => {
      expect(() => channelRuleSet(rules)).toThrow(expect.objectContaining({ code: 'INVALID_CHANNEL_RULE', field }));
    });
  });
});
