import type { RecordedEnvelope } from '@revops/event-store';
import { NO_MEMORY, projectionSchema, type ProjectionTransaction } from '../runner/projection';
import { anEnvelope } from '../runner/testing/envelopes';
import {
  OpenDealTotalsSum,
  opportunityChanges,
  type OpenDealDeltaRow,
  type OpenDealOwnerTotalRow,
  type OpenDealTotalRow,
  type OpportunityRow,
} from './opportunities.projection';
import { OPPORTUNITIES_PROJECTION, opportunitiesProjection } from './opportunities.writer';

const ID = 'opp-1';
let revision = 0n;

/** An opportunity event at `commit` in `$all`, in business time `occurredAt`. */
function event(commit: number, type: string, data: Record<string, unknown>, occurredAt: string): RecordedEnvelope {
  return anEnvelope(commit, {
    streamName: `opportunity-${ID}`,
    revision: revision++,
    type,
    data: { opportunityId: ID, ...data },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });
}

const opened = (commit = 10, occurredAt = '2024-03-01T09:00:00.000Z') =>
  event(
    commit,
    'OpportunityOpened',
    {
      name: 'Acme renewal',
      accountId: 'acme',
      contactRoles: [{ contactId: 'ada', role: 'CHAMPION' }],
      pipelineId: 'new-business',
      pipelineRevision: 1,
      stageId: 'discovery',
      amount: { amountMinor: 1_200_000, currency: 'EUR' },
      expectedCloseDate: '2024-06-30',
      ownerId: 'owner-1',
      openedAt: occurredAt,
    },
    occurredAt,
  );
const stageChanged = (commit: number, fromStageId: string, toStageId: string, occurredAt: string) =>
  event(commit, 'StageChanged', { fromStageId, toStageId, pipelineRevision: 1, changedAt: occurredAt }, occurredAt);
const won = (commit: number, stageId: string, occurredAt: string) =>
  event(commit, 'ClosedWon', { wonAmount: { amountMinor: 1_100_000, currency: 'EUR' }, stageId, closedAt: occurredAt }, occurredAt);
const lost = (commit: number, stageId: string, occurredAt: string) =>
  event(commit, 'ClosedLost', { reason: 'PRICE', note: 'too expensive', stageId, closedAt: occurredAt }, occurredAt);
const reopened = (commit: number, stageId: string, occurredAt: string) =>
  event(
    commit,
    'Reopened',
    { previousOutcome: 'lost', stageId, pipelineRevision: 1, reason: 'budget found', reopenedAt: occurredAt },
    occurredAt,
  );

const figure = (kind: 'expected' | 'won', effectiveAt: string, amountMinor: number, position: string) => ({
  opportunityId: ID,
  kind,
  effectiveAt,
  amountMinor,
  currency: 'EUR',
  position,
});

const none: ReadonlyMap<string, OpportunityRow> = new Map();

function project(events: RecordedEnvelope[], current = none) {
  return opportunityChanges(current, events);
}

describe('opportunities projection', () => {
  beforeEach(() => {
    revision = 0n;
  });

  describe('when an opportunity is opened', () => {
    it('writes its current state with the opening business time', () => {
      const [row] = project([opened()]).opportunities;

      expect(row).toMatchObject({
        opportunityId: ID,
        name: 'Acme renewal',
        accountId: 'acme',
        ownerId: 'owner-1',
        pipelineId: 'new-business',
        stageId: 'discovery',
        amountMinor: 1_200_000,
        currency: 'EUR',
        expectedCloseDate: '2024-06-30',
        status: 'open',
        openedAt: '2024-03-01T09:00:00.000Z',
        closedAt: null,
        contactRoles: [{ contactId: 'ada', role: 'CHAMPION' }],
      });
    });

    it('starts a stage history with one open stay', () => {
      expect(project([opened()]).stageHistory).toEqual([
        {
          opportunityId: ID,
          seq: 1,
          pipelineId: 'new-business',
          stageId: 'discovery',
          entry: 'opened',
          enteredAt: '2024-03-01T09:00:00.000Z',
          exitedAt: null,
          exit: null,
          durationSeconds: null,
          nextEnteredAt: null,
          stagesReached: ['discovery'],
        },
      ]);
    });
  });

  describe('when it moves through stages and is won', () => {
    const changes = () =>
      project([
        opened(),
        stageChanged(20, 'discovery', 'proposal', '2024-03-03T09:00:00.000Z'),
        event(
          30,
          'AmountChanged',
          { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 1_500_000, currency: 'EUR' }, changedAt: 'x' },
          '2024-03-04T09:00:00.000Z',
        ),
        event(40, 'CloseDateChanged', { from: '2024-06-30', to: '2024-05-31', changedAt: 'x' }, '2024-03-04T10:00:00.000Z'),
        event(50, 'ContactRoleAdded', { contactId: 'bob', role: 'ECONOMIC_BUYER', addedAt: 'x' }, '2024-03-04T11:00:00.000Z'),
        event(51, 'ContactRoleAdded', { contactId: 'bob', role: 'ECONOMIC_BUYER', addedAt: 'x' }, '2024-03-04T11:00:00.000Z'),
        won(60, 'proposal', '2024-03-10T09:00:00.000Z'),
      ]);

    it('records the outcome, the won amount and the close time', () => {
      expect(changes().opportunities[0]).toMatchObject({
        status: 'won',
        stageId: 'proposal',
        amountMinor: 1_500_000,
        expectedCloseDate: '2024-05-31',
        closedAt: '2024-03-10T09:00:00.000Z',
        wonAmountMinor: 1_100_000,
        wonCurrency: 'EUR',
        lossReason: null,
        contactRoles: [
          { contactId: 'ada', role: 'CHAMPION' },
          { contactId: 'bob', role: 'ECONOMIC_BUYER' },
        ],
        streamRevision: 6n,
      });
    });

    it('keeps every expected amount and the won amount with the business time each took effect', () => {
      expect(changes().amountHistory).toEqual([
        figure('expected', '2024-03-01T09:00:00.000Z', 1_200_000, '10'),
        figure('expected', '2024-03-04T09:00:00.000Z', 1_500_000, '30'),
        figure('won', '2024-03-10T09:00:00.000Z', 1_100_000, '60'),
      ]);
    });

    it('closes each stay when the next stage is entered or the deal closes', () => {
      const stays = changes().stageHistory.map(({ stageId, enteredAt, exitedAt, exit, durationSeconds }) => ({
        stageId,
        enteredAt,
        exitedAt,
        exit,
        durationSeconds,
      }));

      expect(stays).toEqual([
        {
          stageId: 'discovery',
          enteredAt: '2024-03-01T09:00:00.000Z',
          exitedAt: '2024-03-03T09:00:00.000Z',
          exit: 'stage_change',
          durationSeconds: 2 * 86_400,
        },
        {
          stageId: 'proposal',
          enteredAt: '2024-03-03T09:00:00.000Z',
          exitedAt: '2024-03-10T09:00:00.000Z',
          exit: 'won',
          durationSeconds: 7 * 86_400,
        },
      ]);
    });
  });

  describe('when it is lost and reopened', () => {
    it('is open again without the outcome, and the history gets a new stay after the loss', () => {
      const changes = project([
        opened(),
        lost(20, 'discovery', '2024-03-05T09:00:00.000Z'),
        reopened(30, 'proposal', '2024-03-08T09:00:00.000Z'),
      ]);

      expect(changes.opportunities[0]).toMatchObject({
        status: 'open',
        stageId: 'proposal',
        closedAt: null,
        lossReason: null,
        lossNote: null,
      });
      const stays = changes.stageHistory.map(({ seq, stageId, entry, exit, exitedAt }) => ({ seq, stageId, entry, exit, exitedAt }));
      expect(stays).toEqual([
        { seq: 1, stageId: 'discovery', entry: 'opened', exit: 'lost', exitedAt: '2024-03-05T09:00:00.000Z' },
        { seq: 2, stageId: 'proposal', entry: 'reopened', exit: null, exitedAt: null },
      ]);
    });

    it('keeps the loss reason while it is lost', () => {
      expect(project([opened(), lost(20, 'discovery', '2024-03-05T09:00:00.000Z')]).opportunities[0]).toMatchObject({
        status: 'lost',
        closedAt: '2024-03-05T09:00:00.000Z',
        lossReason: 'PRICE',
        lossNote: 'too expensive',
      });
    });
  });

  describe('when a backdated stage change arrives in a later batch', () => {
    it('slots into the history by business time, splitting the stay it falls into', () => {
      const first = project([opened(), stageChanged(20, 'discovery', 'negotiation', '2024-03-10T09:00:00.000Z')]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));

      const later = project([stageChanged(30, 'negotiation', 'proposal', '2024-03-05T09:00:00.000Z')], stored);

      expect(later.stageHistory.map(({ seq, stageId, enteredAt, exitedAt }) => ({ seq, stageId, enteredAt, exitedAt }))).toEqual([
        { seq: 1, stageId: 'discovery', enteredAt: '2024-03-01T09:00:00.000Z', exitedAt: '2024-03-05T09:00:00.000Z' },
        { seq: 2, stageId: 'proposal', enteredAt: '2024-03-05T09:00:00.000Z', exitedAt: '2024-03-10T09:00:00.000Z' },
        { seq: 3, stageId: 'negotiation', enteredAt: '2024-03-10T09:00:00.000Z', exitedAt: null },
      ]);
      // The current stage is what the write side decided last, whatever its business time.
      expect(later.opportunities[0].stageId).toBe('proposal');
      // The change falls into the first stay, so every stay from it on is written again.
      expect(first.stageHistory.map(({ seq }) => seq)).toEqual([1, 2]);
    });

    it('names the deals whose open-deal changes it corrected where stored ones are, not those it only moved on', () => {
      const first = project([opened(), stageChanged(20, 'discovery', 'negotiation', '2024-03-10T09:00:00.000Z')]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));

      // Moved on after the last stored change: every change lands at a new instant.
      const onward = project([stageChanged(30, 'negotiation', 'proposal', '2024-03-12T09:00:00.000Z')], stored);
      expect(onward.stageHistory.map(({ seq }) => seq)).toEqual([2, 3]);
      expect(onward.correctedDeltas).toEqual([]);
      // Backdated: the deal now leaves discovery on 03-05, so the stored exit of 03-10 is taken back.
      const backdated = project([stageChanged(30, 'negotiation', 'proposal', '2024-03-05T09:00:00.000Z')], stored);
      // The move of 03-10 is now from proposal, not discovery: the same instant, folded into one move.
      expect(backdated.openDealDeltas.filter((row) => row.at === '2024-03-10T09:00:00.000Z')).toEqual([
        expect.objectContaining({ stageId: 'discovery', countDelta: 1, exitedStageId: 'proposal' }),
      ]);
      expect(backdated.correctedDeltas).toEqual([ID]);
      expect(first.correctedDeltas).toEqual([]);
    });

    it('adds only the backdated amount change, at its own business time; the stored figures stay as they are', () => {
      const first = project([opened(), stageChanged(20, 'discovery', 'proposal', '2024-03-10T09:00:00.000Z')]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));
      const late = event(
        30,
        'AmountChanged',
        { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 900_000, currency: 'EUR' }, changedAt: 'x' },
        '2024-03-05T09:00:00.000Z',
      );

      expect(project([late], stored).amountHistory).toEqual([
        figure('expected', '2024-03-05T09:00:00.000Z', 900_000, '30'),
      ]);
    });

    it('orders two transitions at the same business time by their arrival', () => {
      const at = '2024-03-02T09:00:00.000Z';
      const changes = project([opened(), stageChanged(20, 'discovery', 'demo', at), stageChanged(30, 'demo', 'proposal', at)]);

      expect(changes.stageHistory.map(({ stageId, durationSeconds }) => ({ stageId, durationSeconds }))).toEqual([
        { stageId: 'discovery', durationSeconds: 86_400 },
        { stageId: 'demo', durationSeconds: 0 },
        { stageId: 'proposal', durationSeconds: null },
      ]);
    });
  });

  describe('open-pipeline changes', () => {
    const delta = (at: string, stageId: string, countDelta: number, amountDeltaMinor: number, exited?: { stageId: string; amountMinor: number }) => ({
      opportunityId: ID,
      pipelineId: 'new-business',
      ownerId: 'owner-1',
      stageId,
      currency: 'EUR',
      at,
      countDelta,
      amountDeltaMinor,
      exitedStageId: exited?.stageId ?? null,
      exitedCurrency: exited ? 'EUR' : null,
      exitedAmountMinor: exited?.amountMinor ?? null,
    });
    /** What the deal holds at `at`: its changes up to then, added up per stage, a move's stage left included. */
    const holdingAt = (deltas: ReturnType<typeof project>['openDealDeltas'], at: string) => {
      const held = new Map<string, { count: number; amountMinor: number }>();
      const add = (stageId: string, count: number, amountMinor: number) => {
        const before = held.get(stageId) ?? { count: 0, amountMinor: 0 };
        held.set(stageId, { count: before.count + count, amountMinor: before.amountMinor + amountMinor });
      };
      for (const change of deltas.filter((row) => Date.parse(row.at) <= Date.parse(at))) {
        add(change.stageId, change.countDelta, change.amountDeltaMinor);
        if (change.exitedStageId !== null) add(change.exitedStageId, -1, -(change.exitedAmountMinor as number));
      }
      return [...held.entries()].filter(([, figures]) => figures.count !== 0).map(([stageId, figures]) => ({ stageId, ...figures }));
    };

    it('moves the deal between stages, follows its amount and takes it out when it closes', () => {
      const changes = project([
        opened(),
        stageChanged(20, 'discovery', 'proposal', '2024-03-03T09:00:00.000Z'),
        event(
          30,
          'AmountChanged',
          { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 1_500_000, currency: 'EUR' }, changedAt: 'x' },
          '2024-03-04T09:00:00.000Z',
        ),
        won(40, 'proposal', '2024-03-10T09:00:00.000Z'),
      ]);

      expect(changes.openDealDeltas).toEqual([
        delta('2024-03-01T09:00:00.000Z', 'discovery', 1, 1_200_000),
        // One row for the move: the stage entered, and the one left with what it held there.
        delta('2024-03-03T09:00:00.000Z', 'proposal', 1, 1_200_000, { stageId: 'discovery', amountMinor: 1_200_000 }),
        delta('2024-03-04T09:00:00.000Z', 'proposal', 0, 300_000),
        delta('2024-03-10T09:00:00.000Z', 'proposal', -1, -1_500_000),
      ]);
    });

    it('adds up, with the earlier batches\' changes, to the stay and amount in force at any instant after backdated changes', () => {
      const first = project([opened(), stageChanged(20, 'discovery', 'negotiation', '2024-03-10T09:00:00.000Z')]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));
      const late = project(
        [
          stageChanged(30, 'negotiation', 'proposal', '2024-03-05T09:00:00.000Z'),
          event(
            40,
            'AmountChanged',
            { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 900_000, currency: 'EUR' }, changedAt: 'x' },
            '2024-03-07T09:00:00.000Z',
          ),
        ],
        stored,
      );
      const ledger = [...first.openDealDeltas, ...late.openDealDeltas];

      expect(holdingAt(ledger, '2024-03-01T08:59:59.999Z')).toEqual([]);
      expect(holdingAt(ledger, '2024-03-04T00:00:00.000Z')).toEqual([{ stageId: 'discovery', count: 1, amountMinor: 1_200_000 }]);
      expect(holdingAt(ledger, '2024-03-06T00:00:00.000Z')).toEqual([{ stageId: 'proposal', count: 1, amountMinor: 1_200_000 }]);
      expect(holdingAt(ledger, '2024-03-08T00:00:00.000Z')).toEqual([{ stageId: 'proposal', count: 1, amountMinor: 900_000 }]);
      expect(holdingAt(ledger, '2024-03-10T09:00:00.000Z')).toEqual([{ stageId: 'negotiation', count: 1, amountMinor: 900_000 }]);
    });

    it('writes only the corrections a later batch makes, not the deal\'s whole history again', () => {
      const first = project([opened(), stageChanged(20, 'discovery', 'proposal', '2024-03-03T09:00:00.000Z')]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));

      expect(project([won(30, 'proposal', '2024-03-10T09:00:00.000Z')], stored).openDealDeltas).toEqual([
        delta('2024-03-10T09:00:00.000Z', 'proposal', -1, -1_200_000),
      ]);
    });

    it('corrects a stored change at the very instant a later batch adds an amount at', () => {
      const at = '2024-03-03T09:00:00.000Z';
      const first = project([opened(), stageChanged(20, 'discovery', 'proposal', at)]);
      const stored = new Map(first.opportunities.map((row) => [row.opportunityId, row]));
      const sameInstant = event(
        30,
        'AmountChanged',
        { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 900_000, currency: 'EUR' }, changedAt: at },
        at,
      );
      const second = project([sameInstant], stored);

      // Only the proposal stage's amount from that instant on differs: the move itself is stored.
      expect(second.openDealDeltas).toEqual([delta(at, 'proposal', 0, -300_000)]);
      expect(second.correctedDeltas).toEqual([ID]);
      expect(holdingAt([...first.openDealDeltas, ...second.openDealDeltas], at)).toEqual([{ stageId: 'proposal', count: 1, amountMinor: 900_000 }]);
    });

    it('has nothing open while the deal is closed, and opens it again when reopened', () => {
      const { openDealDeltas } = project([
        opened(),
        lost(20, 'discovery', '2024-03-05T09:00:00.000Z'),
        reopened(30, 'proposal', '2024-03-08T09:00:00.000Z'),
      ]);

      expect(holdingAt(openDealDeltas, '2024-03-06T00:00:00.000Z')).toEqual([]);
      expect(holdingAt(openDealDeltas, '2024-03-08T09:00:00.000Z')).toEqual([{ stageId: 'proposal', count: 1, amountMinor: 1_200_000 }]);
    });
  });

  describe('closes', () => {
    it('keeps each loss and win with the time the deal was next reopened and the won figure', () => {
      const { closes } = project([
        opened(),
        lost(20, 'discovery', '2024-03-05T09:00:00.000Z'),
        reopened(30, 'proposal', '2024-03-08T09:00:00.000Z'),
        won(40, 'proposal', '2024-03-20T09:00:00.000Z'),
      ]);

      expect(closes).toEqual([
        {
          opportunityId: ID,
          seq: 1,
          pipelineId: 'new-business',
          ownerId: 'owner-1',
          outcome: 'lost',
          openedAt: '2024-03-01T09:00:00.000Z',
          closedAt: '2024-03-05T09:00:00.000Z',
          reopenedAt: '2024-03-08T09:00:00.000Z',
          wonAmountMinor: null,
          wonCurrency: null,
          wonAmountUntil: null,
        },
        {
          opportunityId: ID,
          seq: 2,
          pipelineId: 'new-business',
          ownerId: 'owner-1',
          outcome: 'won',
          openedAt: '2024-03-01T09:00:00.000Z',
          closedAt: '2024-03-20T09:00:00.000Z',
          reopenedAt: null,
          wonAmountMinor: 1_100_000,
          wonCurrency: 'EUR',
          wonAmountUntil: null,
        },
      ]);
    });

    it('marks when a win recorded with a later business time replaces the won figure of an earlier close', () => {
      // Decided in arrival order won, reopened, won; in business time the reopening comes last.
      const { closes } = project([
        opened(),
        won(20, 'discovery', '2024-03-05T09:00:00.000Z'),
        reopened(30, 'proposal', '2024-03-25T09:00:00.000Z'),
        won(40, 'proposal', '2024-03-15T09:00:00.000Z'),
      ]);

      expect(closes.map(({ closedAt, reopenedAt, wonAmountUntil }) => ({ closedAt, reopenedAt, wonAmountUntil }))).toEqual([
        { closedAt: '2024-03-05T09:00:00.000Z', reopenedAt: '2024-03-25T09:00:00.000Z', wonAmountUntil: '2024-03-15T09:00:00.000Z' },
      ]);
    });
  });

  it('refuses an event for an opportunity it has never seen opened', () => {
    expect(() => project([stageChanged(20, 'discovery', 'demo', '2024-03-02T09:00:00.000Z')])).toThrow(
      'opportunities projection got StageChanged for unknown opportunity opp-1',
    );
  });

  describe('when a later batch changes a stored deal', () => {
    const storedAfter = (events: RecordedEnvelope[]) => new Map(project(events).opportunities.map((row) => [row.opportunityId, row]));
    const stays = (changes: ReturnType<typeof project>) =>
      changes.stageHistory.map(({ seq, stageId, exitedAt, nextEnteredAt, stagesReached }) => ({ seq, stageId, exitedAt, nextEnteredAt, stagesReached }));

    it('writes the stays from the one the new entry ends on, and only those', () => {
      const stored = storedAfter([opened(), stageChanged(20, 'discovery', 'demo', '2024-03-05T09:00:00.000Z')]);

      const onward = project([stageChanged(30, 'demo', 'proposal', '2024-03-09T09:00:00.000Z')], stored);

      expect(stays(onward)).toEqual([
        { seq: 2, stageId: 'demo', exitedAt: '2024-03-09T09:00:00.000Z', nextEnteredAt: '2024-03-09T09:00:00.000Z', stagesReached: ['demo', 'discovery'] },
        { seq: 3, stageId: 'proposal', exitedAt: null, nextEnteredAt: null, stagesReached: ['demo', 'discovery', 'proposal'] },
      ]);
      expect(onward.closes).toEqual([]);
      expect(onward.closesReplaced).toEqual([]);
      expect([...onward.stored]).toEqual([ID]);
      // It had two stays: the second is written again, the third is new.
      expect([...onward.storedStays]).toEqual([[ID, 2]]);
      // Of the deal's lists, only the new entry is added.
      expect(onward.added).toEqual([{ transitions: [expect.objectContaining({ kind: 'stage_change', stageId: 'proposal' })], amounts: [], contactRoles: [] }]);
    });

    it('changes no stay, close or open-deal change for a new close date or contact', () => {
      const stored = storedAfter([opened(), stageChanged(20, 'discovery', 'demo', '2024-03-05T09:00:00.000Z')]);

      const changes = project(
        [
          event(30, 'CloseDateChanged', { from: '2024-06-30', to: '2024-07-31', changedAt: 'x' }, '2024-03-06T09:00:00.000Z'),
          event(31, 'ContactRoleAdded', { contactId: 'bo', role: 'BUYER', addedAt: 'x' }, '2024-03-06T10:00:00.000Z'),
        ],
        stored,
      );

      expect(changes.opportunities[0]).toMatchObject({ expectedCloseDate: '2024-07-31', streamRevision: 3n });
      expect(changes.added).toEqual([{ transitions: [], amounts: [], contactRoles: [{ contactId: 'bo', role: 'BUYER' }] }]);
      expect(changes.stageHistory).toEqual([]);
      expect(changes.storedStays.size).toBe(0);
      expect(changes.openDealDeltas).toEqual([]);
      expect(changes.closesReplaced).toEqual([]);
    });

    it('leaves the stored row and its lists as they were, whatever the batch does to the deal', () => {
      const stored = storedAfter([opened(), stageChanged(20, 'discovery', 'demo', '2024-03-05T09:00:00.000Z')]);
      const [before] = stored.values();
      const snapshot = structuredClone(before);

      const changes = project(
        [
          stageChanged(30, 'demo', 'proposal', '2024-03-09T09:00:00.000Z'),
          event(31, 'AmountChanged', { from: { amountMinor: 1_200_000, currency: 'EUR' }, to: { amountMinor: 1_500_000, currency: 'EUR' }, changedAt: 'x' }, '2024-03-10T09:00:00.000Z'),
          event(32, 'ContactRoleAdded', { contactId: 'bo', role: 'BUYER', addedAt: 'x' }, '2024-03-10T10:00:00.000Z'),
          won(33, 'proposal', '2024-03-12T09:00:00.000Z'),
        ],
        stored,
      );

      expect(before).toEqual(snapshot);
      const [after] = changes.opportunities;
      expect(after).not.toBe(before);
      expect(after).toMatchObject({ stageId: 'proposal', status: 'won', amountMinor: 1_500_000, wonAmountMinor: 1_100_000, streamRevision: 5n });
      expect(after.transitions.map(({ kind, stageId }) => `${kind}:${stageId}`)).toEqual(['opened:discovery', 'stage_change:demo', 'stage_change:proposal', 'won:proposal']);
      expect(after.contactRoles).toEqual([{ contactId: 'ada', role: 'CHAMPION' }, { contactId: 'bo', role: 'BUYER' }]);
      expect(changes.added).toEqual([
        {
          transitions: [expect.objectContaining({ kind: 'stage_change', stageId: 'proposal' }), expect.objectContaining({ kind: 'won', stageId: 'proposal' })],
          amounts: [expect.objectContaining({ kind: 'expected', amountMinor: 1_500_000 }), expect.objectContaining({ kind: 'won', amountMinor: 1_100_000 })],
          contactRoles: [{ contactId: 'bo', role: 'BUYER' }],
        },
      ]);
    });

    it('replaces every close of a deal that had one, as a later win ends the figure of an earlier', () => {
      const stored = storedAfter([opened(), won(20, 'discovery', '2024-03-05T09:00:00.000Z'), reopened(30, 'proposal', '2024-03-08T09:00:00.000Z')]);

      const changes = project([won(40, 'proposal', '2024-03-20T09:00:00.000Z')], stored);

      expect(changes.stageHistory.map(({ seq }) => seq)).toEqual([2]);
      // A close is no stay: the deal had two, and the win writes the second again.
      expect(changes.storedStays.get(ID)).toBe(2);
      expect(changes.closesReplaced).toEqual([ID]);
      expect(changes.closes.map(({ seq, outcome, wonAmountUntil }) => ({ seq, outcome, wonAmountUntil }))).toEqual([
        { seq: 1, outcome: 'won', wonAmountUntil: '2024-03-20T09:00:00.000Z' },
        { seq: 2, outcome: 'won', wonAmountUntil: null },
      ]);
    });
  });

  it('has nothing to change for an empty batch', () => {
    expect(project([])).toEqual({
      opportunities: [],
      added: [],
      stored: new Set(),
      storedStays: new Map(),
      stageHistory: [],
      amountHistory: [],
      openDealDeltas: [],
      correctedDeltas: [],
      closes: [],
      closesReplaced: [],
    });
  });
});

describe('opportunities projection, applying a batch', () => {
  beforeEach(() => {
    revision = 0n;
  });

  /** A transaction that records what the batch sends and finds nothing stored. */
  function recordingTransaction() {
    const statements: string[] = [];
    const inserted: string[] = [];
    const tx: ProjectionTransaction = {
      schema: projectionSchema(OPPORTUNITIES_PROJECTION, opportunitiesProjection.version),
      rebuilding: true,
      query: async <Row>(sql: string) => {
        statements.push(sql.trim());
        // Whether the rebuild has stored open-deal changes yet: none.
        return (sql.includes('NOT EXISTS') ? [{ empty: true }] : []) as Row[];
      },
      insertRows: async (table) => {
        inserted.push(table);
      },
      memory: NO_MEMORY,
    };
    return { tx, reads: () => statements.filter((sql) => sql.startsWith('SELECT') && sql.includes('."opportunities"')), inserted };
  }

  it('reads back no deal whose stream begins in the batch', async () => {
    const { tx, reads, inserted } = recordingTransaction();
    await opportunitiesProjection.apply([opened(), stageChanged(11, 'discovery', 'proposal', '2024-03-05T09:00:00.000Z')], tx);
    expect(reads()).toEqual([]);
    expect(inserted).toContain('opportunities');
  });

  it('reads back a deal the batch finds neither opening nor in memory', async () => {
    opened();
    const later = stageChanged(11, 'discovery', 'proposal', '2024-03-05T09:00:00.000Z');
    const { tx, reads } = recordingTransaction();
    // Nothing is stored in this transaction, so the deal cannot be found: the read is what counts.
    await expect(opportunitiesProjection.apply([later], tx)).rejects.toThrow('opportunities projection got StageChanged for unknown opportunity opp-1');
    expect(reads()).toHaveLength(1);
    expect(reads()[0]).toContain(`"rm_opportunities_v${opportunitiesProjection.version}"."opportunities"`);
  });
});

describe('OpenDealTotalsSum', () => {
  const change = (
    at: string,
    stageId: string,
    countDelta: number,
    amountDeltaMinor: number,
    exited?: [string, number],
    pipelineId = 'p',
    ownerId = 'rep',
  ): OpenDealDeltaRow => ({
    opportunityId: 'opp',
    pipelineId,
    ownerId,
    stageId,
    currency: 'EUR',
    at,
    countDelta,
    amountDeltaMinor,
    exitedStageId: exited ? exited[0] : null,
    exitedCurrency: exited ? 'EUR' : null,
    exitedAmountMinor: exited ? exited[1] : null,
  });
  const sorted = <Row extends object>(rows: readonly Row[] | undefined) =>
    [...(rows ?? [])].sort((a, b) => Object.values(a).join('/').localeCompare(Object.values(b).join('/')));
  const total = (period: 'day' | 'month', periodStart: string, stageId: string, count: number, amountMinor: number, pipelineId = 'p'): OpenDealTotalRow => ({
    pipelineId,
    period,
    periodStart,
    stageId,
    currency: 'EUR',
    count,
    amountMinor,
  });
  const ownerTotal = (ownerId: string, monthStart: string, stageId: string, count: number, amountMinor: number, pipelineId = 'p'): OpenDealOwnerTotalRow => ({
    pipelineId,
    ownerId,
    monthStart,
    stageId,
    currency: 'EUR',
    count,
    amountMinor,
  });

  it('adds up each place a change counts at per pipeline, UTC day, stage and currency, and the months from the days, leaving out what comes to nothing', () => {
    const sum = new OpenDealTotalsSum();
    sum.add([change('2024-03-01T23:59:59.999Z', 'discovery', 1, 100), change('2024-03-02T00:00:00.000Z', 'proposal', 1, 150, ['discovery', 100])]);
    // A later batch: a correction of the second of March, another owner's deal, and another pipeline.
    sum.add([
      change('2024-03-02T08:00:00.000Z', 'proposal', 0, 50),
      change('2024-04-30T12:00:00.000Z', 'proposal', -1, -200),
      change('2024-03-20T08:00:00.000Z', 'proposal', 1, 30, undefined, 'p', 'other'),
      change('2024-03-02T08:00:00.000Z', 'demo', 1, 7, undefined, 'q'),
    ]);
    const taken = sum.take();
    expect(sorted(taken?.totals)).toEqual(
      sorted([
        total('day', '2024-03-01T00:00:00.000Z', 'discovery', 1, 100),
        total('day', '2024-03-02T00:00:00.000Z', 'discovery', -1, -100),
        total('day', '2024-03-02T00:00:00.000Z', 'proposal', 1, 200),
        total('day', '2024-03-20T00:00:00.000Z', 'proposal', 1, 30),
        total('day', '2024-04-30T00:00:00.000Z', 'proposal', -1, -200),
        // March's discovery came back to nothing: no month row for it.
        total('month', '2024-03-01T00:00:00.000Z', 'proposal', 2, 230),
        total('month', '2024-04-01T00:00:00.000Z', 'proposal', -1, -200),
        total('day', '2024-03-02T00:00:00.000Z', 'demo', 1, 7, 'q'),
        total('month', '2024-03-01T00:00:00.000Z', 'demo', 1, 7, 'q'),
      ]),
    );
    // Each owner's months, which add up to the pipeline's.
    expect(sorted(taken?.ownerTotals)).toEqual(
      sorted([
        ownerTotal('rep', '2024-03-01T00:00:00.000Z', 'proposal', 1, 200),
        ownerTotal('rep', '2024-04-01T00:00:00.000Z', 'proposal', -1, -200),
        ownerTotal('other', '2024-03-01T00:00:00.000Z', 'proposal', 1, 30),
        ownerTotal('rep', '2024-03-01T00:00:00.000Z', 'demo', 1, 7, 'q'),
      ]),
    );
  });

  it('gives its totals once: a finish run again sums the stored changes', () => {
    const sum = new OpenDealTotalsSum();
    sum.add([change('2024-03-01T09:00:00.000Z', 'discovery', 1, 100)]);
    const taken = sum.take();
    expect(taken?.totals).toHaveLength(2);
    expect(taken?.ownerTotals).toHaveLength(1);
    expect(sum.take()).toBeUndefined();
  });

  it('gives no totals once a sum leaves the integers a number holds exactly, or a time is not in the form it sums by', () => {
    const big = new OpenDealTotalsSum();
    big.add([change('2024-03-01T09:00:00.000Z', 'discovery', 1, Number.MAX_SAFE_INTEGER)]);
    big.add([change('2024-03-01T10:00:00.000Z', 'discovery', 1, 2)]);
    expect(big.take()).toBeUndefined();
    const acrossDays = new OpenDealTotalsSum();
    acrossDays.add([change('2024-03-01T09:00:00.000Z', 'discovery', 1, Number.MAX_SAFE_INTEGER), change('2024-03-02T09:00:00.000Z', 'discovery', 1, 2)]);
    // Each day is exact, their month is not.
    expect(acrossDays.take()).toBeUndefined();
    const farFuture = new OpenDealTotalsSum();
    farFuture.add([change(new Date(Date.UTC(10_000, 0, 1)).toISOString(), 'discovery', 1, 100)]);
    expect(farFuture.take()).toBeUndefined();
    // As long as toISOString's form, and read by Date.parse, but in the machine's zone.
    const otherForm = new OpenDealTotalsSum();
    otherForm.add([change('Fri Mar 01 2024 09:00:00', 'discovery', 1, 100)]);
    expect(otherForm.take()).toBeUndefined();
  });
});
