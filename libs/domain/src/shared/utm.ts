import { invalidField } from './domain-error';

/** Campaign tagging as it arrived on the landing URL, normalised. Unknown parts are null. */
export type Utm = {
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
  readonly content: string | null;
  readonly term: string | null;
};

export type UtmInput = { readonly [Part in keyof Utm]?: string | null };

const UTM_PARTS = ['source', 'medium', 'campaign', 'content', 'term'] as const;
const UTM_LIMIT = 250;

/**
 * Trackers and people type `LinkedIn `, `linkedin` and `LINKEDIN` for the same
 * thing; reports group by these values, so they are compared and stored
 * trimmed, lower-cased and with inner runs of whitespace collapsed.
 */
export function normaliseUtmValue(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  const normalised = value.trim().replace(/\s+/g, ' ').toLowerCase();
  return normalised === '' ? null : normalised;
}

export function normaliseUtm(input: UtmInput | null | undefined, field = 'utm'): Utm {
  const parts = Object.fromEntries(
    UTM_PARTS.map((part) => {
      const raw = input?.[part];
      if (raw !== undefined && raw !== null && typeof raw !== 'string') {
        throw invalidField('UNSUPPORTED_VALUE', `${field}.${part}`, 'must be text');
      }
      const value = normaliseUtmValue(raw);
      if (value !== null && value.length > UTM_LIMIT) {
        throw invalidField('VALUE_TOO_LONG', `${field}.${part}`, `must be at most ${UTM_LIMIT} characters`);
      }
      return [part, value];
    }),
  );
  return parts as Utm;
}
