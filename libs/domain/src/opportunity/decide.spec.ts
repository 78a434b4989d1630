import type { PipelineStages } from '../pipeline/state';
import { given, stateAfter } from '../testing/given-when-then';
import type {
  AddContactRole,
  ChangeAmount,
  ChangeCloseDate,
  ChangeCurrency,
  ChangeStage,
  CloseLost,
  CloseWon,
  OpenOpportunity,
  OpportunityCommand,
  Reopen,
} from './commands';
import { opportunityDecider } from './decide';
import type {
  AmountChanged,
  ClosedLost,
  ClosedWon,
  CloseDateChanged,
  ContactRoleAdded,
  OpportunityOpened,
  Reopened,
  StageChanged,
} from './events';

const OPPORTUNITY = 'opp-acme-2024';
const OPENED_AT = '2024-03-10T10:00:00.000Z';
const CHANGED_AT = '2024-04-02T15:00:00.000Z';
const CLOSED_AT = '2024-06-28T17:00:00.000Z';

const PIPELINE: PipelineStages = {
  pipelineId: 'new-business',
  revision: 2,
  stages: [
    { stageId: 'discovery', name: 'Discovery', order: 1, winProbability: 10 },
    { stageId: 'demo', name: 'Demo', order: 2, winProbability: 30 },
    { stageId: 'proposal', name: 'Proposal', order: 3, winProbability: 60 },
  ],
};

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const opened = (data: Partial<OpportunityOpened['data']> = {}): OpportunityOpened => ({
  type: 'OpportunityOpened',
  data: {
    opportunityId: OPPORTUNITY,
    name: 'Acme platform rollout',
    accountId: 'acme',
    contactRoles: [{ contactId: 'ada', role: 'CHAMPION' }],
    pipelineId: 'new-business',
    pipelineRevision: 2,
    stageId: 'discovery',
    amount: eur(4_800_000),
    expectedCloseDate: '2024-06-30',
    ownerId: 'rep-grace',
    openedAt: OPENED_AT,
    ...data,
  },
});

const stageChanged = (fromStageId: string, toStageId: string): StageChanged => ({
  type: 'StageChanged',
  data: { opportunityId: OPPORTUNITY, fromStageId, toStageId, pipelineRevision: 2, changedAt: CHANGED_AT },
});

const closedWon = (): ClosedWon => ({
  type: 'ClosedWon',
  data: { opportunityId: OPPORTUNITY, wonAmount: eur(4_500_000), stageId: 'discovery', closedAt: CLOSED_AT },
});

const closedLost = (data: Partial<ClosedLost['data']> = {}): ClosedLost => ({
  type: 'ClosedLost',
  data: { opportunityId: OPPORTUNITY, reason: 'COMPETITOR', note: null, stageId: 'discovery', closedAt: CLOSED_AT, ...data },
});

const openOpportunity = (data: Partial<OpenOpportunity['data']> = {}): OpenOpportunity => ({
  type: 'OpenOpportunity',
  data: {
    opportunityId: OPPORTUNITY,
    name: 'Acme platform rollout',
    accountId: 'acme',
    contactRoles: [{ contactId: 'ada', role: 'CHAMPION' }],
    pipeline: PIPELINE,
    stageId: 'discovery',
    amount: eur(4_800_000),
    expectedCloseDate: '2024-06-30',
    ownerId: 'rep-grace',
    openedAt: OPENED_AT,
    ...data,
  },
});

const changeStage = (stageId: string, pipeline = PIPELINE): ChangeStage => ({
  type: 'ChangeStage',
  data: { opportunityId: OPPORTUNITY, pipeline, stageId, changedAt: CHANGED_AT },
});

const changeAmount = (amountMinor: number, currency = 'EUR'): ChangeAmount => ({
  type: 'ChangeAmount',
  data: { opportunityId: OPPORTUNITY, amount: { amountMinor, currency }, changedAt: CHANGED_AT },
});

const changeCurrency = (amountMinor: number, currency: string): ChangeCurrency => ({
  type: 'ChangeCurrency',
  data: { opportunityId: OPPORTUNITY, amount: { amountMinor, currency }, changedAt: CHANGED_AT },
});

const changeCloseDate = (expectedCloseDate: string): ChangeCloseDate => ({
  type: 'ChangeCloseDate',
  data: { opportunityId: OPPORTUNITY, expectedCloseDate, changedAt: CHANGED_AT },
});

const addContactRole = (contactId: string, role: AddContactRole['data']['role']): AddContactRole => ({
  type: 'AddContactRole',
  data: { opportunityId: OPPORTUNITY, contactId, role, addedAt: CHANGED_AT },
});

const closeWon = (data: Partial<CloseWon['data']> = {}): CloseWon => ({
  type: 'CloseWon',
  data: { opportunityId: OPPORTUNITY, wonAmount: eur(4_500_000), closedAt: CLOSED_AT, ...data },
});

const closeLost = (data: Partial<CloseLost['data']> = {}): CloseLost => ({
  type: 'CloseLost',
  data: { opportunityId: OPPORTUNITY, reason: 'COMPETITOR', closedAt: CLOSED_AT, ...data },
});

const reopen = (stageId = 'proposal', pipeline = PIPELINE): Reopen => ({
  type: 'Reopen',
  data: { opportunityId: OPPORTUNITY, pipeline, stageId, reason: 'budget approved after all', reopenedAt: '2024-07-15T09:00:00.000Z' },
});

const reopened = (previousOutcome: 'won' | 'lost'): Reopened => ({
  type: 'Reopened',
  data: {
    opportunityId: OPPORTUNITY,
    previousOutcome,
    stageId: 'proposal',
    pipelineRevision: 2,
    reason: 'budget approved after all',
    reopenedAt: '2024-07-15T09:00:00.000Z',
  },
});

const everyChange: [string, OpportunityCommand][] = [
  ['a stage change', changeStage('demo')],
  ['an amount change', changeAmount(5_000_000)],
  ['a currency change', changeCurrency(5_200_000, 'USD')],
  ['a close date change', changeCloseDate('2024-09-30')],
  ['a new contact role', addContactRole('linus', 'TECHNICAL_BUYER')],
  ['closing it won', closeWon()],
  ['closing it lost', closeLost()],
];

describe('Opportunity', () => {
  describe('when opened', () => {
    it('records the deal at its stage, against the pipeline revision it was checked with', () => {
      given(opportunityDecider).when(openOpportunity()).then(opened());
    });

    it('lets one contact hold several roles', () => {
      const roles = [
        { contactId: 'ada', role: 'CHAMPION' as const },
        { contactId: 'ada', role: 'TECHNICAL_BUYER' as const },
      ];
      given(opportunityDecider).when(openOpportunity({ contactRoles: roles })).then(opened({ contactRoles: roles }));
    });

    it('refuses to open the same opportunity twice', () => {
      given(opportunityDecider, opened()).when(openOpportunity()).thenThrows('OPPORTUNITY_ALREADY_EXISTS');
    });

    it('refuses a stage its pipeline does not have', () => {
      given(opportunityDecider).when(openOpportunity({ stageId: 'closed-won' })).thenThrows('UNKNOWN_STAGE', 'stageId');
    });

    it('refuses to open without the pipeline stages', () => {
      given(opportunityDecider)
        .when(openOpportunity({ pipeline: undefined as unknown as PipelineStages }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'pipeline');
    });

    it('refuses a negative amount', () => {
      given(opportunityDecider).when(openOpportunity({ amount: eur(-100) })).thenThrows('INVALID_AMOUNT', 'amount.amountMinor');
    });

    it('refuses an amount with a fraction of a minor unit', () => {
      given(opportunityDecider).when(openOpportunity({ amount: eur(1999.5) })).thenThrows('INVALID_AMOUNT', 'amount.amountMinor');
    });

    it('refuses a currency that is not ISO 4217', () => {
      given(opportunityDecider)
        .when(openOpportunity({ amount: { amountMinor: 100, currency: 'EURO' } }))
        .thenThrows('INVALID_CURRENCY', 'amount.currency');
    });

    it('refuses a currency code in lower case', () => {
      given(opportunityDecider)
        .when(openOpportunity({ amount: { amountMinor: 100, currency: 'eur' } }))
        .thenThrows('INVALID_CURRENCY', 'amount.currency');
    });

    it('refuses an expected close date that is not a calendar date', () => {
      given(opportunityDecider).when(openOpportunity({ expectedCloseDate: '2024-06-31' })).thenThrows('INVALID_DATE', 'expectedCloseDate');
    });

    it('refuses the same contact twice in the same role', () => {
      const roles = [
        { contactId: 'ada', role: 'CHAMPION' as const },
        { contactId: 'ada', role: 'CHAMPION' as const },
      ];
      given(opportunityDecider).when(openOpportunity({ contactRoles: roles })).thenThrows('DUPLICATE_CONTACT_ROLE', 'contactRoles[1]');
    });

    it('refuses a role that is not on the list', () => {
      given(opportunityDecider)
        .when(openOpportunity({ contactRoles: [{ contactId: 'ada', role: 'FAN' as 'OTHER' }] }))
        .thenThrows('UNSUPPORTED_VALUE', 'contactRoles[0].role');
    });

    it('refuses a deal without an owner', () => {
      given(opportunityDecider).when(openOpportunity({ ownerId: '' })).thenThrows('REQUIRED_FIELD_MISSING', 'ownerId');
    });
  });

  describe('when it has not been opened', () => {
    it.each<[string, OpportunityCommand]>([...everyChange, ['reopening it', reopen()]])('rejects %s', (_, command) => {
      given(opportunityDecider).when(command).thenThrows('OPPORTUNITY_NOT_FOUND');
    });
  });

  describe('when open', () => {
    it('moves to another stage of its pipeline', () => {
      given(opportunityDecider, opened()).when(changeStage('demo')).then(stageChanged('discovery', 'demo'));
    });

    it('records nothing when moved to the stage it is in', () => {
      given(opportunityDecider, opened(), stageChanged('discovery', 'demo')).when(changeStage('demo')).then();
    });

    it('refuses a stage its pipeline does not have', () => {
      given(opportunityDecider, opened()).when(changeStage('negotiation')).thenThrows('UNKNOWN_STAGE', 'stageId');
    });

    it('refuses a stage retired by a later pipeline revision', () => {
      const revised = { ...PIPELINE, revision: 3, stages: PIPELINE.stages.filter((stage) => stage.stageId !== 'demo') };
      given(opportunityDecider, opened()).when(changeStage('demo', revised)).thenThrows('UNKNOWN_STAGE');
    });

    it("refuses stages of a pipeline that is not the deal's", () => {
      given(opportunityDecider, opened())
        .when(changeStage('demo', { ...PIPELINE, pipelineId: 'renewals' }))
        .thenThrows('PIPELINE_MISMATCH', 'pipeline.pipelineId');
    });

    it('changes its amount in the same currency', () => {
      const changed: AmountChanged = {
        type: 'AmountChanged',
        data: { opportunityId: OPPORTUNITY, from: eur(4_800_000), to: eur(5_250_000), changedAt: CHANGED_AT },
      };
      given(opportunityDecider, opened()).when(changeAmount(5_250_000)).then(changed);
    });

    it('records nothing when the amount is unchanged', () => {
      given(opportunityDecider, opened()).when(changeAmount(4_800_000)).then();
    });

    it('refuses an amount in another currency', () => {
      given(opportunityDecider, opened()).when(changeAmount(5_000_000, 'USD')).thenThrows('CURRENCY_MISMATCH', 'amount.currency');
    });

    it('refuses a negative amount', () => {
      given(opportunityDecider, opened()).when(changeAmount(-1)).thenThrows('INVALID_AMOUNT', 'amount.amountMinor');
    });

    it('restates its amount in another currency when asked to explicitly', () => {
      const changed: AmountChanged = {
        type: 'AmountChanged',
        data: { opportunityId: OPPORTUNITY, from: eur(4_800_000), to: { amountMinor: 5_200_000, currency: 'USD' }, changedAt: CHANGED_AT },
      };
      given(opportunityDecider, opened()).when(changeCurrency(5_200_000, 'USD')).then(changed);
    });

    it('takes later amounts in the restated currency', () => {
      const restated: AmountChanged = {
        type: 'AmountChanged',
        data: { opportunityId: OPPORTUNITY, from: eur(4_800_000), to: { amountMinor: 5_200_000, currency: 'USD' }, changedAt: CHANGED_AT },
      };
      given(opportunityDecider, opened(), restated).when(changeAmount(5_000_000, 'EUR')).thenThrows('CURRENCY_MISMATCH');
    });

    it('refuses a restatement in a currency that does not exist', () => {
      given(opportunityDecider, opened()).when(changeCurrency(5_200_000, 'BTC')).thenThrows('INVALID_CURRENCY', 'amount.currency');
    });

    it('moves its expected close date', () => {
      const changed: CloseDateChanged = {
        type: 'CloseDateChanged',
        data: { opportunityId: OPPORTUNITY, from: '2024-06-30', to: '2024-09-30', changedAt: CHANGED_AT },
      };
      given(opportunityDecider, opened()).when(changeCloseDate('2024-09-30')).then(changed);
    });

    it('records nothing when the close date is unchanged', () => {
      given(opportunityDecider, opened()).when(changeCloseDate('2024-06-30')).then();
    });

    it('refuses a close date that is not a calendar date', () => {
      given(opportunityDecider, opened()).when(changeCloseDate('30/09/2024')).thenThrows('INVALID_DATE', 'expectedCloseDate');
    });

    it('adds a contact in a role', () => {
      const added: ContactRoleAdded = {
        type: 'ContactRoleAdded',
        data: { opportunityId: OPPORTUNITY, contactId: 'linus', role: 'TECHNICAL_BUYER', addedAt: CHANGED_AT },
      };
      given(opportunityDecider, opened()).when(addContactRole('linus', 'TECHNICAL_BUYER')).then(added);
    });

    it('records nothing when the contact already holds that role', () => {
      given(opportunityDecider, opened()).when(addContactRole('ada', 'CHAMPION')).then();
    });

    it('refuses a role that is not on the list', () => {
      given(opportunityDecider, opened()).when(addContactRole('linus', 'FAN' as 'OTHER')).thenThrows('UNSUPPORTED_VALUE', 'role');
    });

    it('closes won with the won amount, at the stage it was in', () => {
      given(opportunityDecider, opened()).when(closeWon()).then(closedWon());
    });

    it('refuses a won amount in another currency', () => {
      given(opportunityDecider, opened())
        .when(closeWon({ wonAmount: { amountMinor: 4_500_000, currency: 'USD' } }))
        .thenThrows('CURRENCY_MISMATCH', 'wonAmount.currency');
    });

    it('refuses to close before it was opened', () => {
      given(opportunityDecider, opened()).when(closeWon({ closedAt: '2024-03-09T10:00:00Z' })).thenThrows('CLOSED_BEFORE_OPENED', 'closedAt');
    });

    it('closes lost with a reason and a note', () => {
      given(opportunityDecider, opened(), stageChanged('discovery', 'demo'))
        .when(closeLost({ reason: 'PRICE', note: 'went with the cheaper tier of a rival' }))
        .then(closedLost({ reason: 'PRICE', note: 'went with the cheaper tier of a rival', stageId: 'demo' }));
    });

    it('refuses OTHER as a loss reason without a note', () => {
      given(opportunityDecider, opened()).when(closeLost({ reason: 'OTHER' })).thenThrows('REQUIRED_FIELD_MISSING', 'note');
    });

    it('refuses a loss reason that is not on the list', () => {
      given(opportunityDecider, opened()).when(closeLost({ reason: 'UNLUCKY' as 'OTHER' })).thenThrows('UNSUPPORTED_VALUE', 'reason');
    });

    it('refuses to close lost before it was opened', () => {
      given(opportunityDecider, opened()).when(closeLost({ closedAt: '2024-01-01T00:00:00Z' })).thenThrows('CLOSED_BEFORE_OPENED');
    });

    it('refuses to be reopened', () => {
      given(opportunityDecider, opened()).when(reopen()).thenThrows('OPPORTUNITY_NOT_CLOSED');
    });
  });

  describe('when closed won', () => {
    it.each(everyChange)('rejects %s', (_, command) => {
      given(opportunityDecider, opened(), closedWon()).when(command).thenThrows('OPPORTUNITY_ALREADY_CLOSED');
    });

    it('reopens at a stage of its pipeline', () => {
      given(opportunityDecider, opened(), closedWon()).when(reopen()).then(reopened('won'));
    });

    it('refuses to reopen at a stage its pipeline does not have', () => {
      given(opportunityDecider, opened(), closedWon()).when(reopen('won')).thenThrows('UNKNOWN_STAGE', 'stageId');
    });

    it("refuses to reopen with another pipeline's stages", () => {
      given(opportunityDecider, opened(), closedWon())
        .when(reopen('proposal', { ...PIPELINE, pipelineId: 'renewals' }))
        .thenThrows('PIPELINE_MISMATCH');
    });
  });

  describe('when closed lost', () => {
    it.each(everyChange)('rejects %s', (_, command) => {
      given(opportunityDecider, opened(), closedLost()).when(command).thenThrows('OPPORTUNITY_ALREADY_CLOSED');
    });

    it('reopens, remembering it had been lost', () => {
      given(opportunityDecider, opened(), closedLost()).when(reopen()).then(reopened('lost'));
    });
  });

  describe('when its history is replayed', () => {
    it('ignores a change recorded before the opening, so a replay never breaks', () => {
      expect(stateAfter(opportunityDecider, stageChanged('discovery', 'demo'))).toEqual(opportunityDecider.initialState());
    });
  });

  describe('when reopened', () => {
    it('takes changes again, from the stage it was reopened at', () => {
      given(opportunityDecider, opened(), closedLost(), reopened('lost'))
        .when(changeStage('demo'))
        .then(stageChanged('proposal', 'demo'));
    });

    it('can be closed again', () => {
      given(opportunityDecider, opened(), closedLost(), reopened('lost'))
        .when(closeWon())
        .then({ ...closedWon(), data: { ...closedWon().data, stageId: 'proposal' } });
    });
  });
});
