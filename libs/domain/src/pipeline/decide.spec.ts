import { given, stateAfter } from '../testing/given-when-then';
import type { DefinePipeline, ReviseStages } from './commands';
import { pipelineDecider } from './decide';
import type { PipelineDefined, PipelineStage, StagesRevised } from './events';
import { pipelineStagesOf } from './state';

const PIPELINE = 'new-business';
const DEFINED_AT = '2024-01-02T08:00:00.000Z';
const REVISED_AT = '2024-04-01T08:00:00.000Z';

const stage = (stageId: string, order: number, winProbability: number, name = stageId): PipelineStage => ({
  stageId,
  name,
  order,
  winProbability,
});

const STAGES = [stage('discovery', 1, 10), stage('demo', 2, 30), stage('proposal', 3, 60), stage('negotiation', 4, 80)];

const pipelineDefined = (stages = STAGES): PipelineDefined => ({
  type: 'PipelineDefined',
  data: { pipelineId: PIPELINE, name: 'New business', revision: 1, stages, definedAt: DEFINED_AT },
});

const stagesRevised = (revision: number, stages: PipelineStage[]): StagesRevised => ({
  type: 'StagesRevised',
  data: { pipelineId: PIPELINE, revision, stages, revisedAt: REVISED_AT },
});

const definePipeline = (data: Partial<DefinePipeline['data']> = {}): DefinePipeline => ({
  type: 'DefinePipeline',
  data: { pipelineId: PIPELINE, name: 'New business', stages: STAGES, definedAt: DEFINED_AT, ...data },
});

const reviseStages = (stages: PipelineStage[]): ReviseStages => ({
  type: 'ReviseStages',
  data: { pipelineId: PIPELINE, stages, revisedAt: REVISED_AT },
});

const WITH_SECURITY_REVIEW = [...STAGES, stage('security-review', 5, 90)];

describe('Pipeline', () => {
  describe('when defined', () => {
    it('records its stages as revision 1', () => {
      given(pipelineDecider).when(definePipeline()).then(pipelineDefined());
    });

    it('keeps the stages in sales-process order whatever order they arrive in', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [...STAGES].reverse() }))
        .then(pipelineDefined());
    });

    it('accepts a single open stage', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [stage('open', 0, 50)] }))
        .then(pipelineDefined([stage('open', 0, 50)]));
    });

    it('refuses to define the same pipeline twice', () => {
      given(pipelineDecider, pipelineDefined()).when(definePipeline()).thenThrows('PIPELINE_ALREADY_EXISTS');
    });

    it('refuses a pipeline without stages', () => {
      given(pipelineDecider).when(definePipeline({ stages: [] })).thenThrows('PIPELINE_HAS_NO_STAGES', 'stages');
    });

    it('refuses two stages with the same id', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [stage('demo', 1, 20), stage('demo', 2, 40)] }))
        .thenThrows('DUPLICATE_STAGE_ID', 'stages[1].stageId');
    });

    it('refuses two stages in the same position', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [stage('demo', 1, 20), stage('proposal', 1, 40)] }))
        .thenThrows('DUPLICATE_STAGE_ORDER', 'stages[1].order');
    });

    it('refuses a win probability above 100 percent', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [stage('demo', 1, 120)] }))
        .thenThrows('VALUE_OUT_OF_RANGE', 'stages[0].winProbability');
    });

    it('refuses a stage without a name', () => {
      given(pipelineDecider)
        .when(definePipeline({ stages: [stage('demo', 1, 20, ' ')] }))
        .thenThrows('REQUIRED_FIELD_MISSING', 'stages[0].name');
    });

    it('refuses more than 50 stages', () => {
      const tooMany = Array.from({ length: 51 }, (_, index) => stage(`s${index}`, index, 50));
      given(pipelineDecider).when(definePipeline({ stages: tooMany })).thenThrows('VALUE_OUT_OF_RANGE', 'stages');
    });
  });

  describe('when its stages are revised', () => {
    it('records the new stage list under the next revision', () => {
      given(pipelineDecider, pipelineDefined()).when(reviseStages(WITH_SECURITY_REVIEW)).then(stagesRevised(2, WITH_SECURITY_REVIEW));
    });

    it('counts revisions on from the last one', () => {
      const reweighted = STAGES.map((each) => ({ ...each, winProbability: Math.min(100, each.winProbability + 5) }));
      given(pipelineDecider, pipelineDefined(), stagesRevised(2, WITH_SECURITY_REVIEW))
        .when(reviseStages(reweighted))
        .then(stagesRevised(3, reweighted));
    });

    it('records nothing when the stages are unchanged', () => {
      given(pipelineDecider, pipelineDefined()).when(reviseStages([...STAGES].reverse())).then();
    });

    it('refuses to revise a pipeline that was never defined', () => {
      given(pipelineDecider).when(reviseStages(STAGES)).thenThrows('PIPELINE_NOT_FOUND');
    });

    it('refuses a revision that leaves no stage', () => {
      given(pipelineDecider, pipelineDefined()).when(reviseStages([])).thenThrows('PIPELINE_HAS_NO_STAGES');
    });
  });

  describe('when its history is replayed', () => {
    it('ignores a revision recorded before the definition, so a replay never breaks', () => {
      expect(stateAfter(pipelineDecider, stagesRevised(2, STAGES))).toEqual(pipelineDecider.initialState());
    });
  });

  describe('when an opportunity needs its stages', () => {
    it('hands over the current revision', () => {
      const state = stateAfter(pipelineDecider, pipelineDefined(), stagesRevised(2, WITH_SECURITY_REVIEW));
      expect(pipelineStagesOf(state, PIPELINE)).toEqual({ pipelineId: PIPELINE, revision: 2, stages: WITH_SECURITY_REVIEW });
    });

    it('refuses a pipeline that was never defined', () => {
      expect(() => pipelineStagesOf(stateAfter(pipelineDecider), PIPELINE)).toThrow(expect.objectContaining({ code: 'PIPELINE_NOT_FOUND' }));
    });
  });
});
