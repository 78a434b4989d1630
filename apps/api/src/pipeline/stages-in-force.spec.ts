import { revisionInForce, stagesInForce, type StageDefinition } from './stages-in-force';

const definition = (revision: number, stageId: string, order: number, winProbability: number): StageDefinition => ({
  revision,
  stageId,
  name: stageId,
  order,
  winProbability,
});

describe('stages in force', () => {
  describe('the revision in force', () => {
    const revisions = [
      { revision: 1, effectiveAt: '2024-01-01T00:00:00.000Z' },
      { revision: 2, effectiveAt: '2024-03-01T00:00:00.000Z' },
      // Recorded after revision 2 but backdated between 1 and 2.
      { revision: 3, effectiveAt: '2024-02-01T00:00:00.000Z' },
    ];

    it('is the one that took effect last at or before the instant', () => {
      expect(revisionInForce(revisions, '2024-01-31T23:59:59.999Z')?.revision).toBe(1);
      expect(revisionInForce(revisions, '2024-02-01T00:00:00.000Z')?.revision).toBe(3);
      expect(revisionInForce(revisions, '2024-06-01T00:00:00.000Z')?.revision).toBe(2);
    });

    it('is the higher number when two take effect at the same instant', () => {
      const same = [
        { revision: 1, effectiveAt: '2024-01-01T00:00:00.000Z' },
        { revision: 2, effectiveAt: '2024-01-01T00:00:00.000Z' },
      ];
      expect(revisionInForce(same, '2024-01-01T00:00:00.000Z')?.revision).toBe(2);
    });

    it('is null before the pipeline was defined', () => {
      expect(revisionInForce(revisions, '2023-12-31T00:00:00.000Z')).toBeNull();
    });
  });

  describe('the stages of a revision', () => {
    const definitions = [
      definition(1, 'discovery', 10, 10),
      definition(1, 'demo', 20, 30),
      definition(1, 'proposal', 30, 50),
      definition(2, 'discovery', 10, 20),
      definition(2, 'proposal', 30, 60),
      definition(3, 'discovery', 10, 25),
      definition(3, 'proposal', 30, 60),
      definition(3, 'negotiation', 40, 80),
    ];

    it('lists its own stages in stage order with their probabilities then', () => {
      expect(stagesInForce(definitions, 2).current.map((stage) => [stage.stageId, stage.winProbability])).toEqual([
        ['discovery', 20],
        ['proposal', 60],
      ]);
    });

    it('finds a stage it dropped as retired, with its last definition', () => {
      expect(stagesInForce(definitions, 2).find('demo')).toEqual({ ...definition(1, 'demo', 20, 30), retired: true });
    });

    it('finds a stage only a later revision has, as retired, with its first definition', () => {
      expect(stagesInForce(definitions, 2).find('negotiation')).toEqual({ ...definition(3, 'negotiation', 40, 80), retired: true });
    });

    it('knows nothing of a stage no revision had', () => {
      expect(stagesInForce(definitions, 2).find('legal')).toBeUndefined();
    });
  });
});
