import { channelRuleSet, type ChannelRule } from './channel-rules';

// Modelled on GA4's default channel grouping, adapted to B2B: sales
// engagement tools, partners, events and content syndication get channels of
// their own. Order matters and follows one principle: explicit tagging (UTM)
// first, then ad-platform click ids, then what the kind of touch implies,
// then the referrer, and only then "direct".

const PAID_MEDIUM = '^(.*cp.*|ppc|paid.*|sponsored.*|retargeting)$';
const DISPLAY_MEDIUM = '^(display|cpm|banner|expandable|interstitial|programmatic|native|remarketing|video)$';
const EVENT_CAMPAIGN = '(^|[^a-z])(webinar|event|conference|summit|tradeshow)s?([^a-z]|$)';
const SEARCH_ENGINE_HOST = '^(.+\\.)?(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|brave|qwant|startpage|naver)';
const SEARCH_REFERRER = `${SEARCH_ENGINE_HOST}\\.[a-z]{2,3}(\\.[a-z]{2})?$`;

const SEARCH_SOURCES = [
  'google', 'google.com', 'bing', 'bing.com', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia', 'brave', 'qwant', 'startpage', 'naver',
];
const SEARCH_AD_NETWORKS = ['google_ads', 'googleads', 'adwords', 'bing_ads', 'microsoft_ads', 'msads'];
const PAID_SEARCH_MEDIUMS = ['paid_search', 'paidsearch', 'paid-search', 'sem', 'search_ads'];

const SOCIAL_SOURCES = [
  'linkedin', 'linkedin.com', 'lnkd.in', 'facebook', 'facebook.com', 'fb', 'meta', 'instagram', 'ig', 'twitter', 'twitter.com',
  'x', 'x.com', 't.co', 'reddit', 'tiktok', 'youtube', 'pinterest', 'quora', 'threads',
];
const SOCIAL_AD_NETWORKS = ['linkedin_ads', 'facebook_ads', 'meta_ads', 'fb_ads', 'twitter_ads', 'x_ads', 'reddit_ads', 'tiktok_ads'];
const PAID_SOCIAL_MEDIUMS = ['paid_social', 'paidsocial', 'paid-social', 'social_paid', 'social-paid', 'sponsored_social'];
const ORGANIC_SOCIAL_MEDIUMS = [
  'social', 'social-network', 'social_network', 'social-media', 'social_media', 'social media', 'sm', 'organic_social', 'organic-social',
];
const SOCIAL_DOMAINS = [
  'linkedin.com', 'lnkd.in', 'com.linkedin.android', 'facebook.com', 'fb.com', 'instagram.com', 't.co', 'twitter.com', 'x.com',
  'reddit.com', 'youtube.com', 'tiktok.com', 'pinterest.com', 'quora.com', 'threads.net', 'news.ycombinator.com',
];

const DISPLAY_NETWORKS = [
  'dv360', 'doubleclick', 'criteo', 'adroll', 'thetradedesk', 'the_trade_desk', 'ttd', 'taboola', 'outbrain', 'stackadapt', 'gdn',
];

const EMAIL_MEDIUMS = ['email', 'e-mail', 'e_mail', 'mail', 'newsletter', 'edm'];
const EMAIL_PLATFORMS = ['newsletter', 'email', 'mailchimp', 'hubspot_email', 'marketo', 'pardot', 'braze', 'customer.io', 'sendgrid'];
const WEBMAIL_DOMAINS = [
  'mail.google.com', 'com.google.android.gm', 'outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'mail.yahoo.com',
  'mail.proton.me', 'mail.aol.com',
];

const SALES_ENGAGEMENT_TOOLS = [
  'outreach', 'salesloft', 'apollo', 'apollo.io', 'groove', 'mixmax', 'reply.io', 'lemlist', 'hubspot_sequences',
];
const OUTBOUND_MEDIUMS = ['outbound', 'sales', 'sales_outbound', 'sequence', 'cold_email', 'cold-email', 'sdr', 'bdr', 'prospecting'];
const PARTNER_MEDIUMS = ['partner', 'partners', 'affiliate', 'affiliates', 'reseller', 'co-marketing', 'comarketing'];
const PARTNER_PLATFORMS = ['partner', 'partnerstack', 'impact', 'affiliate'];
const EVENT_MEDIUMS = [
  'event', 'events', 'webinar', 'webinars', 'conference', 'tradeshow', 'trade_show', 'trade-show', 'booth', 'field_event', 'meetup',
];
const CONTENT_MEDIUMS = ['content', 'content_syndication', 'content-syndication', 'syndication', 'blog', 'article', 'guest_post'];
const REFERRAL_MEDIUMS = ['referral', 'referrer', 'link', 'backlink'];

const SEARCH_CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'msclkid'];
const SOCIAL_CLICK_IDS = ['li_fat_id', 'ttclid', 'twclid', 'rdt_cid'];
const SALES_KINDS = ['CALL', 'MEETING', 'DEMO', 'PROPOSAL'];

export const defaultChannelRules: readonly ChannelRule[] = [
  { id: 'direct-tagged', channel: 'direct', when: [{ field: 'source', match: 'equals', value: '(direct)' }] },

  { id: 'sales-outbound-tool', channel: 'sales_outbound', when: [{ field: 'source', match: 'in', value: SALES_ENGAGEMENT_TOOLS }] },
  { id: 'sales-outbound-medium', channel: 'sales_outbound', when: [{ field: 'medium', match: 'in', value: OUTBOUND_MEDIUMS }] },
  { id: 'partner-medium', channel: 'partner', when: [{ field: 'medium', match: 'in', value: PARTNER_MEDIUMS }] },
  { id: 'partner-source', channel: 'partner', when: [{ field: 'source', match: 'in', value: PARTNER_PLATFORMS }] },
  { id: 'events-medium', channel: 'events', when: [{ field: 'medium', match: 'in', value: EVENT_MEDIUMS }] },

  {
    id: 'paid-search',
    channel: 'paid_search',
    when: [
      { field: 'source', match: 'in', value: SEARCH_SOURCES },
      { field: 'medium', match: 'regex', value: PAID_MEDIUM },
    ],
  },
  { id: 'paid-search-medium', channel: 'paid_search', when: [{ field: 'medium', match: 'in', value: PAID_SEARCH_MEDIUMS }] },
  { id: 'paid-search-network', channel: 'paid_search', when: [{ field: 'source', match: 'in', value: SEARCH_AD_NETWORKS }] },
  {
    id: 'paid-social',
    channel: 'paid_social',
    when: [
      { field: 'source', match: 'in', value: SOCIAL_SOURCES },
      { field: 'medium', match: 'regex', value: PAID_MEDIUM },
    ],
  },
  { id: 'paid-social-medium', channel: 'paid_social', when: [{ field: 'medium', match: 'in', value: PAID_SOCIAL_MEDIUMS }] },
  { id: 'paid-social-network', channel: 'paid_social', when: [{ field: 'source', match: 'in', value: SOCIAL_AD_NETWORKS }] },
  { id: 'display-medium', channel: 'display', when: [{ field: 'medium', match: 'regex', value: DISPLAY_MEDIUM }] },
  { id: 'display-network', channel: 'display', when: [{ field: 'source', match: 'in', value: DISPLAY_NETWORKS }] },
  // Paid placements that are neither search nor social (review sites, ad
  // networks we do not list) are bought reach, which is what display stands for here.
  { id: 'paid-other', channel: 'display', when: [{ field: 'medium', match: 'regex', value: PAID_MEDIUM }] },

  { id: 'email-medium', channel: 'email', when: [{ field: 'medium', match: 'in', value: EMAIL_MEDIUMS }] },
  { id: 'email-source', channel: 'email', when: [{ field: 'source', match: 'in', value: EMAIL_PLATFORMS }] },
  { id: 'content-medium', channel: 'content', when: [{ field: 'medium', match: 'in', value: CONTENT_MEDIUMS }] },
  { id: 'organic-search-medium', channel: 'organic_search', when: [{ field: 'medium', match: 'equals', value: 'organic' }] },
  { id: 'organic-search-source', channel: 'organic_search', when: [{ field: 'source', match: 'in', value: SEARCH_SOURCES }] },
  { id: 'organic-social-medium', channel: 'organic_social', when: [{ field: 'medium', match: 'in', value: ORGANIC_SOCIAL_MEDIUMS }] },
  { id: 'organic-social-source', channel: 'organic_social', when: [{ field: 'source', match: 'in', value: SOCIAL_SOURCES }] },
  { id: 'referral-medium', channel: 'referral', when: [{ field: 'medium', match: 'in', value: REFERRAL_MEDIUMS }] },
  // Only after every source and medium rule: an organic post promoting a
  // webinar is still organic social.
  { id: 'events-campaign', channel: 'events', when: [{ field: 'campaign', match: 'regex', value: EVENT_CAMPAIGN }] },

  { id: 'paid-search-click-id', channel: 'paid_search', when: [{ field: 'clickId', match: 'in', value: SEARCH_CLICK_IDS }] },
  { id: 'paid-social-click-id', channel: 'paid_social', when: [{ field: 'clickId', match: 'in', value: SOCIAL_CLICK_IDS }] },
  { id: 'display-click-id', channel: 'display', when: [{ field: 'clickId', match: 'equals', value: 'dclid' }] },

  { id: 'email-kind', channel: 'email', when: [{ field: 'kind', match: 'in', value: ['EMAIL_SENT', 'EMAIL_OPEN', 'EMAIL_CLICK'] }] },
  { id: 'events-kind', channel: 'events', when: [{ field: 'kind', match: 'in', value: ['WEBINAR', 'EVENT_ATTENDED'] }] },
  // Sales-led touches with no marketing source are the sales motion at work,
  // not someone typing our address: they must not read as direct.
  { id: 'sales-kind', channel: 'sales_outbound', when: [{ field: 'kind', match: 'in', value: SALES_KINDS }] },

  { id: 'email-referrer', channel: 'email', when: [{ field: 'referrerHost', match: 'domain-in', value: WEBMAIL_DOMAINS }] },
  { id: 'organic-search-referrer', channel: 'organic_search', when: [{ field: 'referrerHost', match: 'regex', value: SEARCH_REFERRER }] },
  { id: 'organic-social-referrer', channel: 'organic_social', when: [{ field: 'referrerHost', match: 'domain-in', value: SOCIAL_DOMAINS }] },
  { id: 'referral-referrer', channel: 'referral', when: [{ field: 'referrerHost', match: 'present' }] },
  // Tagged with a source no rule knows: someone sent the visitor on purpose,
  // which is closer to a referral than to direct.
  { id: 'referral-tagged', channel: 'referral', when: [{ field: 'source', match: 'present' }] },
];

export const defaultChannelRuleSet = channelRuleSet(defaultChannelRules);
