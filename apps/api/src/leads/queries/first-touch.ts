import type { ReadModelView } from '../../common/read-side/read-models';

/** How lead reports split their figures: not at all, or by the channel or campaign of each lead's first touch. */
export const firstTouchGroupings = ['none', 'first_touch_channel', 'first_touch_campaign'] as const;
export type FirstTouchGrouping = (typeof firstTouchGroupings)[number];

/** The key of a lead with no first touch, or whose first touch names no campaign. */
export const NO_FIRST_TOUCH = '(none)';
/** The key of the one group a report has when it is not grouped, and of every report's total. */
export const ALL_LEADS = 'all';

/** The read models a report grouped this way reads, besides its own. */
export function firstTouchProjections(groupBy: FirstTouchGrouping): string[] {
  return groupBy === 'first_touch_campaign' ? ['contacts', 'touchpoints', 'campaigns'] : ['contacts', 'touchpoints'];
}

/**
 * SQL pieces that give each contact of the CTE `cohort` (a `contact_id` column) its group.
 * `cte` defines `first_touch`, to be listed after `cohort`; `joins` attaches it (and the
 * campaign's name) to a FROM clause whose contacts are aliased `member`; `key` and `name`
 * are the group's columns.
 *
 * The first touch is the contact's earliest interaction (an email sent or an ad shown is
 * something done to the person, not by them) across its own journey and the anonymous
 * journeys stitched to it by identity links, so a visit made before the person filled a form
 * counts. Touches at the same instant are ordered by log position, as attribution orders them.
 */
export function firstTouchGroup(view: ReadModelView, groupBy: FirstTouchGrouping) {
  const cte = `first_touch AS (
      SELECT DISTINCT ON (person.contact_id) person.contact_id, t.channel, t.campaign_id
        FROM (SELECT contact_id, contact_id AS person_key FROM cohort
              UNION ALL
              SELECT link.contact_id, 'anon-' || link.anonymous_id
                FROM ${view.table('contacts', 'contact_identity_links')} link
                JOIN cohort ON cohort.contact_id = link.contact_id) person
        JOIN ${view.table('touchpoints', 'touchpoints')} t ON t.person_key = person.person_key AND t.interaction
       ORDER BY person.contact_id, t.occurred_at, t.commit_position, t.touchpoint_id
    )`;
  const touchJoin = 'LEFT JOIN first_touch ft ON ft.contact_id = member.contact_id';
  switch (groupBy) {
    case 'none':
      // Left unjoined, the CTE is never run.
      return { cte, joins: '', key: `'${ALL_LEADS}'::text`, name: 'NULL::text' };
    case 'first_touch_channel':
      return { cte, joins: touchJoin, key: `COALESCE(ft.channel, '${NO_FIRST_TOUCH}')`, name: 'NULL::text' };
    case 'first_touch_campaign':
      return {
        cte,
        joins: `${touchJoin} LEFT JOIN ${view.table('campaigns', 'campaigns')} campaign ON campaign.campaign_id = ft.campaign_id`,
        key: `COALESCE(ft.campaign_id, '${NO_FIRST_TOUCH}')`,
        name: 'campaign.name',
      };
  }
}
