import { anEnvelope } from '../runner/testing/envelopes';
import { pipelineChanges } from './pipelines.projection';

const stages = [
  { stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
  { stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 50 },
];

const defined = (commit: number, occurredAt = '2024-03-01T09:00:00.000Z') =>
  anEnvelope(commit, {
    streamName: 'pipeline-new-business',
    type: 'PipelineDefined',
    data: { pipelineId: 'new-business', name: 'New business', revision: 1, stages, definedAt: occurredAt },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });

const revised = (commit: number, revision: number, occurredAt = '2024-04-01T09:00:00.000Z') =>
  anEnvelope(commit, {
    streamName: 'pipeline-new-business',
    type: 'StagesRevised',
    data: {
      pipelineId: 'new-business',
      revision,
      stages: [...stages, { stageId: 'negotiation', name: 'Negotiation', order: 30, winProbability: 80 }],
      revisedAt: occurredAt,
    },
    metadata: { ...anEnvelope(commit).metadata, occurredAt },
  });

describe('pipelines projection', () => {
  describe('when a pipeline is defined', () => {
    it('writes the pipeline at revision 1 with the business time it was defined at', () => {
      expect(pipelineChanges([defined(10)]).pipelines).toEqual([
        { pipelineId: 'new-business', name: 'New business', revision: 1, definedAt: '2024-03-01T09:00:00.000Z', revisedAt: null },
      ]);
    });

    it('writes one row per stage with its order and win probability', () => {
      expect(pipelineChanges([defined(10)]).stages).toEqual([
        { pipelineId: 'new-business', revision: 1, stageId: 'discovery', name: 'Discovery', order: 10, winProbability: 10 },
        { pipelineId: 'new-business', revision: 1, stageId: 'proposal', name: 'Proposal', order: 20, winProbability: 50 },
      ]);
    });
  });

  describe('when its stages are revised', () => {
    it('moves the pipeline to the new revision and keeps the stages of both', () => {
      const changes = pipelineChanges([defined(10), revised(20, 2)]);

      expect(changes.pipelines).toEqual([
        {
          pipelineId: 'new-business',
          name: 'New business',
          revision: 2,
          definedAt: '2024-03-01T09:00:00.000Z',
          revisedAt: '2024-04-01T09:00:00.000Z',
        },
      ]);
      expect(changes.stages.map((stage) => `${stage.revision}:${stage.stageId}`)).toEqual([
        '1:discovery',
        '1:proposal',
        '2:discovery',
        '2:proposal',
        '2:negotiation',
      ]);
    });

    it('records the business time each revision took effect, so past dates read the stages in force then', () => {
      expect(pipelineChanges([defined(10), revised(20, 2, '2024-05-15T00:00:00.000Z')]).revisions).toEqual([
        { pipelineId: 'new-business', revision: 1, effectiveAt: '2024-03-01T09:00:00.000Z' },
        { pipelineId: 'new-business', revision: 2, effectiveAt: '2024-05-15T00:00:00.000Z' },
      ]);
    });

    it('leaves the name to the stored row when the batch holds only the revision', () => {
      expect(pipelineChanges([revised(20, 3)]).pipelines).toEqual([
        { pipelineId: 'new-business', name: null, revision: 3, definedAt: null, revisedAt: '2024-04-01T09:00:00.000Z' },
      ]);
    });
  });

  it('refuses an event type it does not know, so the projection stalls visibly', () => {
    const unknown = anEnvelope(30, { streamName: 'pipeline-new-business', type: 'PipelineArchived', data: { pipelineId: 'new-business' } });

    expect(() => pipelineChanges([unknown])).toThrow('pipelines projection cannot apply event type PipelineArchived');
  });

  it('has nothing to change for an empty batch', () => {
    expect(pipelineChanges([])).toEqual({ pipelines: [], stages: [], revisions: [] });
  });
});
