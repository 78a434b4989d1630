import type { TouchpointKind } from '@revops/domain';
import { SeededRandom } from './random';

/** One touchpoint as a tracker or integration sends it to POST /v1/touchpoints. */
export interface TouchpointPayload {
  touchpointId?: string;
  source: string;
  externalId?: string;
  kind: TouchpointKind;
  occurredAt: string;
  anonymousId?: string;
  contactId?: string;
  email?: string;
  accountId?: string;
  campaignId?: string;
  utm?: { source?: string; medium?: string; campaign?: string; content?: string; term?: string };
  referrer?: string;
  landingPage?: string;
  details: Record<string, unknown>;
}

export interface TrafficOptions {
  seed: number;
  /** How many touchpoints to produce. */
  touchpoints: number;
  /** First day of the traffic, UTC. */
  start?: string;
  /** Days the traffic spans. */
  days?: number;
}

export interface Traffic {
  /** Ordered by occurredAt, as a tracker would send them. */
  touchpoints: TouchpointPayload[];
  people: { anonymous: number; identified: number; inSalesConversations: number };
}

const SITE = 'https://www.acme-revops.example';
const PAGES = ['/', '/pricing', '/product', '/product/attribution', '/product/pipeline', '/customers', '/integrations', '/demo', '/about'];
const BLOG_POSTS = ['pipeline-velocity-explained', 'multi-touch-attribution-guide', 'mql-vs-sql', 'revops-stack-2024', 'win-rate-benchmarks'];
const KEYWORDS = ['revenue attribution software', 'pipeline analytics', 'marketing attribution b2b', 'revops platform', 'sales funnel tool'];
const SEARCH_CAMPAIGNS = ['Brand Search', 'Attribution - Generic', 'Competitor Terms'];
const SOCIAL_CAMPAIGNS = ['RevOps Leaders Q1', 'Attribution Webinar Promo', 'Retargeting - Pricing'];
const REFERRERS = ['https://www.g2.com/categories/revenue-operations', 'https://news.ycombinator.com/', 'https://www.capterra.com/', 'https://partner-blog.example/revops'];
const FREE_MAIL = ['gmail.com', 'outlook.com'];
const COMPANIES = ['northwind', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'cyberdyne', 'soylent'];
const FIRST_NAMES = ['ada', 'grace', 'linus', 'margaret', 'alan', 'barbara', 'dennis', 'frances', 'ken', 'radia'];
const FORMS = [
  ['demo-request', 'Request a demo'],
  ['newsletter', 'Newsletter sign-up'],
  ['contact-sales', 'Contact sales'],
] as const;
const ASSETS = [
  ['state-of-revops-2024', 'State of RevOps 2024', 'report'],
  ['attribution-playbook', 'The Attribution Playbook', 'ebook'],
  ['northwind-case-study', 'How Northwind cut CAC by 30%', 'case_study'],
] as const;

type Entry = 'paid_search' | 'paid_social' | 'organic_search' | 'organic_social' | 'referral' | 'direct';

const ENTRIES: readonly (readonly [Entry, number])[] = [
  ['paid_search', 25],
  ['paid_social', 15],
  ['organic_search', 25],
  ['organic_social', 8],
  ['referral', 7],
  ['direct', 20],
];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Realistic B2B traffic from a seed: most people stay anonymous (ad clicks and web
 * visits), a minority become known by email (opens, clicks, form fills, downloads,
 * webinars) and a few reach sales conversations (calls, meetings, demos, proposals).
 * The same options always give the same touchpoints.
 */
export function generateTraffic(options: TrafficOptions): Traffic {
  const random = new SeededRandom(options.seed);
  const start = Date.parse(options.start ?? '2024-01-01T00:00:00Z');
  const span = (options.days ?? 90) * DAY;
  const touchpoints: TouchpointPayload[] = [];
  const people = { anonymous: 0, identified: 0, inSalesConversations: 0 };

  while (touchpoints.length < options.touchpoints) {
    const person = new PersonTraffic(random, start + random.next() * span);
    const stage = random.weighted([
      ['anonymous', 80],
      ['identified', 17],
      ['sales', 3],
    ] as const);
    person.browse(random.int(1, 4));
    if (stage === 'anonymous') {
      people.anonymous++;
    } else {
      person.identify();
      person.nurture(random.int(2, 8));
      if (stage === 'sales') {
        person.talkToSales();
        people.inSalesConversations++;
      } else {
        people.identified++;
      }
    }
    touchpoints.push(...person.touchpoints);
  }

  touchpoints.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  touchpoints.length = options.touchpoints;
  return { touchpoints, people };
}

/** One person's touches, in the order they happen. */
class PersonTraffic {
  readonly touchpoints: TouchpointPayload[] = [];
  private readonly anonymousId: string;
  private email: string | undefined;
  private contactId: string | undefined;
  private accountId: string | undefined;

  constructor(
    private readonly random: SeededRandom,
    private clock: number,
  ) {
    this.anonymousId = `ajs-${random.token(16)}`;
  }

  /** Sessions on the website, each entered through some channel. */
  browse(sessions: number): void {
    for (let session = 0; session < sessions; session++) {
      this.clock += this.random.int(1, 10) * DAY * this.random.next();
      const sessionId = `s-${this.random.token(10)}`;
      this.enter(this.random.weighted(ENTRIES), sessionId);
      for (let page = this.random.int(0, 4); page > 0; page--) {
        this.clock += this.random.int(1, 6) * MINUTE;
        this.track({ kind: 'WEB_VISIT', anonymousId: this.anonymousId, details: { pageUrl: this.page(), sessionId } });
      }
    }
  }

  /** Fills in a form or downloads an asset: from now on the person is known by email. */
  identify(): void {
    const first = this.random.pick(FIRST_NAMES);
    const company = this.random.pick(COMPANIES);
    const domain = this.random.chance(0.15) ? this.random.pick(FREE_MAIL) : `${company}.example`;
    this.email = `${first}.${this.random.token(6)}@${domain}`;
    this.clock += this.random.int(1, 20) * MINUTE;
    if (this.random.chance(0.6)) {
      const [formId, formName] = this.random.pick(FORMS);
      this.track({ kind: 'FORM_SUBMISSION', anonymousId: this.anonymousId, email: this.email, details: { formId, formName, pageUrl: `${SITE}/demo` } });
    } else {
      const [assetId, assetTitle, assetType] = this.random.pick(ASSETS);
      this.track({ kind: 'CONTENT_DOWNLOAD', anonymousId: this.anonymousId, email: this.email, details: { assetId, assetTitle, assetType } });
    }
  }

  /** The email platform's view of a known person: sends, opens, clicks, the odd webinar. */
  nurture(emails: number): void {
    for (let n = 0; n < emails; n++) {
      this.clock += this.random.int(2, 9) * DAY;
      const messageId = `<${this.random.token(12)}@mail.acme-revops.example>`;
      this.fromEmailPlatform({ kind: 'EMAIL_SENT', details: { messageId, emailName: `Nurture ${n + 1}` } });
      if (!this.random.chance(0.45)) continue;
      this.clock += this.random.int(5, 600) * MINUTE;
      this.fromEmailPlatform({ kind: 'EMAIL_OPEN', details: { messageId } });
      if (!this.random.chance(0.3)) continue;
      this.clock += this.random.int(1, 5) * MINUTE;
      const url = `${SITE}/blog/${this.random.pick(BLOG_POSTS)}?utm_source=newsletter&utm_medium=email`;
      this.fromEmailPlatform({ kind: 'EMAIL_CLICK', utm: { source: 'newsletter', medium: 'email', campaign: 'nurture' }, details: { messageId, url } });
    }
    if (this.random.chance(0.2)) {
      this.clock += this.random.int(1, 14) * DAY;
      const participation = this.random.weighted([
        ['registered', 3],
        ['attended', 5],
        ['watched_on_demand', 2],
      ] as const);
      this.fromEmailPlatform({ kind: 'WEBINAR', details: { webinarId: 'wb-attribution-101', participation, minutesAttended: this.random.int(5, 55) } });
    }
  }

  /** A qualified lead in the CRM: calls, a discovery meeting, a demo, sometimes a proposal. */
  talkToSales(): void {
    this.contactId = `ct-${this.random.token(12)}`;
    this.accountId = `acc-${(this.email ?? '').split('@')[1]?.split('.')[0] ?? this.random.token(6)}`;
    const rep = `rep-${this.random.pick(FIRST_NAMES)}`;
    for (let call = this.random.int(1, 4); call > 0; call--) {
      this.clock += this.random.int(1, 4) * DAY;
      const outcome = this.random.weighted([
        ['connected', 5],
        ['voicemail', 3],
        ['no_answer', 2],
      ] as const);
      this.fromCrm({ kind: 'CALL', details: { durationSeconds: outcome === 'connected' ? this.random.int(120, 2400) : this.random.int(5, 60), outcome, direction: 'outbound', repId: rep } });
    }
    this.clock += this.random.int(1, 7) * DAY;
    this.fromCrm({ kind: 'MEETING', details: { meetingType: 'discovery', durationMinutes: 30, hostId: rep } });
    this.clock += this.random.int(3, 14) * DAY;
    const colleague = `${this.random.pick(FIRST_NAMES)}.${this.random.token(4)}@${(this.email ?? '').split('@')[1]}`;
    this.fromCrm({ kind: 'DEMO', details: { attendees: [{ contactId: this.contactId }, { email: colleague }], presenterId: 'se-ken' } });
    if (this.random.chance(0.5)) {
      this.clock += this.random.int(3, 21) * DAY;
      const amountMinor = this.random.int(12, 240) * 100_000;
      this.fromCrm({ kind: 'PROPOSAL', details: { proposalId: `q-${this.random.token(8)}`, amount: { amountMinor, currency: 'EUR' } } });
    }
  }

  private enter(entry: Entry, sessionId: string): void {
    const landing = this.page();
    const anonymousId = this.anonymousId;
    switch (entry) {
      case 'paid_search': {
        const clickId = this.random.token(24);
        const campaign = this.random.pick(SEARCH_CAMPAIGNS);
        this.track({
          kind: 'AD_CLICK',
          anonymousId,
          utm: { source: 'google', medium: 'cpc', campaign, term: this.random.pick(KEYWORDS) },
          referrer: 'https://www.google.com/',
          landingPage: `${landing}?utm_source=google&utm_medium=cpc&gclid=${clickId}`,
          details: { adPlatform: 'google_ads', platformCampaignId: `g-${campaign.length}`, adGroupId: 'ag-1', clickId, keyword: this.random.pick(KEYWORDS) },
        });
        return;
      }
      case 'paid_social': {
        const network = this.random.chance(0.7) ? 'linkedin' : 'facebook';
        const campaign = this.random.pick(SOCIAL_CAMPAIGNS);
        this.track({
          kind: 'AD_CLICK',
          anonymousId,
          utm: { source: network, medium: 'paid_social', campaign },
          landingPage: `${landing}?utm_source=${network}&utm_medium=paid_social`,
          details: { adPlatform: network === 'linkedin' ? 'linkedin_ads' : 'meta_ads', platformCampaignId: `s-${campaign.length}`, adId: `ad-${this.random.int(1, 40)}` },
        });
        return;
      }
      case 'organic_search':
        this.track({ kind: 'WEB_VISIT', anonymousId, referrer: 'https://www.google.com/', landingPage: landing, details: { pageUrl: landing, sessionId } });
        return;
      case 'organic_social':
        this.track({ kind: 'WEB_VISIT', anonymousId, referrer: 'https://www.linkedin.com/', landingPage: landing, details: { pageUrl: landing, sessionId } });
        return;
      case 'referral':
        this.track({ kind: 'WEB_VISIT', anonymousId, referrer: this.random.pick(REFERRERS), landingPage: landing, details: { pageUrl: landing, sessionId } });
        return;
      case 'direct':
        this.track({ kind: 'WEB_VISIT', anonymousId, landingPage: landing, details: { pageUrl: landing, sessionId, pageTitle: 'Acme RevOps' } });
        return;
    }
  }

  private page(): string {
    return this.random.chance(0.3) ? `${SITE}/blog/${this.random.pick(BLOG_POSTS)}` : `${SITE}${this.random.pick(PAGES)}`;
  }

  /** The website tracker: it mints a UUID per event. */
  private track(touch: Omit<TouchpointPayload, 'source' | 'occurredAt' | 'touchpointId'>): void {
    this.touchpoints.push({ touchpointId: this.random.uuid(), source: 'acme-web', occurredAt: this.at(), ...touch });
  }

  /** The email platform: its own event ids, the person by email only. */
  private fromEmailPlatform(touch: Omit<TouchpointPayload, 'source' | 'occurredAt'>): void {
    this.touchpoints.push({ source: 'hubspot', externalId: `hs-${this.random.token(14)}`, occurredAt: this.at(), email: this.email, ...touch });
  }

  /** The CRM: its own activity ids, the person as a contact. */
  private fromCrm(touch: Omit<TouchpointPayload, 'source' | 'occurredAt'>): void {
    this.touchpoints.push({
      source: 'salesforce',
      externalId: `sf-${this.random.token(14)}`,
      occurredAt: this.at(),
      contactId: this.contactId,
      accountId: this.accountId,
      email: this.email,
      ...touch,
    });
  }

  private at(): string {
    return new Date(Math.floor(this.clock)).toISOString();
  }
}
