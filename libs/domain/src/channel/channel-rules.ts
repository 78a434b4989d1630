import { normaliseUtmValue } from '../shared/utm';
import { channels, type Channel } from './channel';
import { invalidChannelRule } from './errors';

/** What a touch tells us about where it came from, as received. */
export type ChannelInput = {
  readonly kind?: string | null;
  readonly utm?: { readonly source?: string | null; readonly medium?: string | null; readonly campaign?: string | null } | null;
  readonly referrer?: string | null;
  readonly landingPage?: string | null;
};

export const channelRuleFields = ['source', 'medium', 'campaign', 'referrerHost', 'clickId', 'kind'] as const;
export type ChannelRuleField = (typeof channelRuleFields)[number];

/**
 * One test on one field. Comparisons ignore case; `domain-in` also matches
 * subdomains (`l.facebook.com` is in `facebook.com`); `regex` is a
 * case-insensitive JavaScript pattern kept as text so rule sets can live in
 * configuration.
 */
export type ChannelCondition =
  | { readonly field: ChannelRuleField; readonly match: 'equals'; readonly value: string }
  | { readonly field: ChannelRuleField; readonly match: 'in'; readonly value: readonly string[] }
  | { readonly field: ChannelRuleField; readonly match: 'regex'; readonly value: string }
  | { readonly field: ChannelRuleField; readonly match: 'domain-in'; readonly value: readonly string[] }
  | { readonly field: ChannelRuleField; readonly match: 'present' };

/** A rule applies when every condition in `when` holds. The first rule that applies wins. */
export type ChannelRule = {
  readonly id: string;
  readonly when: readonly ChannelCondition[];
  readonly channel: Channel;
};

/** A validated, ready-to-run rule list. Build one with `channelRuleSet`. */
export type ChannelRuleSet = {
  readonly rules: readonly ChannelRule[];
  classify(input: ChannelInput): Channel;
};

/** Touches no rule explains arrived with nothing to go on: that is what direct means. */
export const FALLBACK_CHANNEL: Channel = 'direct';

// Ad platforms append these to the landing URL when auto-tagging replaces UTM
// parameters; the first one found names the click.
const CLICK_ID_PARAMETERS = ['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'li_fat_id', 'ttclid', 'twclid', 'rdt_cid', 'fbclid'];

type ClassifiedFields = Readonly<Record<ChannelRuleField, string | null>>;

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    try {
      return new URL(`http://${text}`);
    } catch {
      return null;
    }
  }
}

function referrerHost(referrer: string | null | undefined): string | null {
  const text = referrer?.trim();
  if (!text) {
    return null;
  }
  const host = parseUrl(text)?.hostname.toLowerCase().replace(/^www\./, '');
  return host ? host : null;
}

function clickId(landingPage: string | null | undefined): string | null {
  const text = landingPage?.trim();
  const parameters = text ? parseUrl(text)?.searchParams : undefined;
  return CLICK_ID_PARAMETERS.find((name) => parameters?.has(name)) ?? null;
}

export function channelFieldsOf(input: ChannelInput): ClassifiedFields {
  return {
    source: normaliseUtmValue(input.utm?.source),
    medium: normaliseUtmValue(input.utm?.medium),
    campaign: normaliseUtmValue(input.utm?.campaign),
    referrerHost: referrerHost(input.referrer),
    clickId: clickId(input.landingPage),
    kind: normaliseUtmValue(input.kind),
  };
}

type CompiledCondition = (fields: ClassifiedFields) => boolean;

function textList(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item.trim() !== '')) {
    throw invalidChannelRule(at, 'must be a non-empty list of non-empty texts');
  }
  return value.map((item: string) => item.trim().toLowerCase());
}

function compileCondition(condition: ChannelCondition, at: string): CompiledCondition {
  const { field } = condition;
  if (!(channelRuleFields as readonly string[]).includes(field)) {
    throw invalidChannelRule(`${at}.field`, `must be one of ${channelRuleFields.join(', ')}`);
  }
  switch (condition.match) {
    case 'equals': {
      const [expected] = textList([condition.value], `${at}.value`);
      return (fields) => fields[field] === expected;
    }
    case 'in': {
      const allowed = new Set(textList(condition.value, `${at}.value`));
      return (fields) => fields[field] !== null && allowed.has(fields[field]);
    }
    case 'domain-in': {
      const domains = textList(condition.value, `${at}.value`);
      return (fields) => {
        const host = fields[field];
        return host !== null && domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
      };
    }
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(condition.value, 'i');
      } catch {
        throw invalidChannelRule(`${at}.value`, 'must be a valid regular expression');
      }
      return (fields) => fields[field] !== null && pattern.test(fields[field]);
    }
    case 'present':
      return (fields) => fields[field] !== null;
    default: {
      // Rule sets come from configuration, so an unknown match kind is bad input, not a code path.
      const unknown: { match?: unknown } = condition;
      throw invalidChannelRule(`${at}.match`, `must be equals, in, regex, domain-in or present (got ${String(unknown.match)})`);
    }
  }
}

/** Validates and compiles rules once, so classifying a touch on the ingestion path is cheap. */
export function channelRuleSet(rules: readonly ChannelRule[]): ChannelRuleSet {
  const seenIds = new Set<string>();
  const compiled = rules.map((rule, index) => {
    const at = `rules[${index}]`;
    if (typeof rule.id !== 'string' || rule.id.trim() === '') {
      throw invalidChannelRule(`${at}.id`, 'is required');
    }
    if (seenIds.has(rule.id)) {
      throw invalidChannelRule(`${at}.id`, `must be unique (${rule.id} appears twice)`);
    }
    seenIds.add(rule.id);
    if (!(channels as readonly string[]).includes(rule.channel)) {
      throw invalidChannelRule(`${at}.channel`, `must be one of ${channels.join(', ')}`);
    }
    if (!Array.isArray(rule.when) || rule.when.length === 0) {
      throw invalidChannelRule(`${at}.when`, 'must hold at least one condition');
    }
    const conditions = rule.when.map((condition, position) => compileCondition(condition, `${at}.when[${position}]`));
    return { channel: rule.channel, applies: (fields: ClassifiedFields) => conditions.every((holds) => holds(fields)) };
  });

  return {
    rules,
    classify(input) {
      const fields = channelFieldsOf(input);
      return compiled.find((rule) => rule.applies(fields))?.channel ?? FALLBACK_CHANNEL;
    },
  };
}

export type ChannelRuleChanges = {
  /** Checked before every other rule, in the order given. */
  readonly prepend?: readonly ChannelRule[];
  /** Each takes the place of the rule with the same id, keeping its position. */
  readonly replace?: readonly ChannelRule[];
  readonly remove?: readonly string[];
};

export function customiseChannelRules(changes: ChannelRuleChanges, base: readonly ChannelRule[]): ChannelRule[] {
  const knownIds = new Set(base.map((rule) => rule.id));
  const mustExist = (id: string, field: string) => {
    if (!knownIds.has(id)) {
      throw invalidChannelRule(field, `names no existing rule (${id})`);
    }
  };
  (changes.replace ?? []).forEach((rule, index) => mustExist(rule.id, `replace[${index}].id`));
  (changes.remove ?? []).forEach((id, index) => mustExist(id, `remove[${index}]`));

  const replacements = new Map((changes.replace ?? []).map((rule) => [rule.id, rule]));
  const removals = new Set(changes.remove ?? []);
  const kept = base.filter((rule) => !removals.has(rule.id)).map((rule) => replacements.get(rule.id) ?? rule);
  return [...(changes.prepend ?? []), ...kept];
}
