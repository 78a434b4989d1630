import { projectionSchema, stepsAfterFinish, validateProjection, validateProjections, type Projection } from './projection';

function aProjection(overrides: Partial<Projection> = {}): Projection {
  return {
    name: 'pipeline',
    version: 1,
    consumes: { streamNamePrefixes: ['opportunity-'] },
    createTables: () => [],
    apply: async () => undefined,
    ...overrides,
  };
}

describe('Projection', () => {
  it('builds the indexes left to the end of the finish in their order, then the keys, each key in one step', () => {
    const schema = projectionSchema('deals', 2);
    const projection = aProjection({
      name: 'deals',
      version: 2,
      primaryKeysAfterCatchUp: () => [{ table: 'figures', columns: ['deal_id', 'position'] }],
      indexesAfterFinish: () => ['CREATE INDEX IF NOT EXISTS long_idx ON x (a)', 'CREATE INDEX IF NOT EXISTS short_idx ON x (b)'],
    });
    const steps = stepsAfterFinish(projection, schema);
    expect(steps.slice(0, 2)).toEqual([['CREATE INDEX IF NOT EXISTS long_idx ON x (a)'], ['CREATE INDEX IF NOT EXISTS short_idx ON x (b)']]);
    expect(steps).toHaveLength(3);
    expect(steps[2][0]).toBe('CREATE UNIQUE INDEX IF NOT EXISTS figures_pkey ON "rm_deals_v2"."figures" (deal_id, position)');
    expect(steps[2][1]).toContain('ADD CONSTRAINT figures_pkey PRIMARY KEY USING INDEX figures_pkey');
  });

  it('keeps each version in a schema of its own, and quotes qualified table names', () => {
    const schema = projectionSchema('stage_history', 3);

    expect(schema.name).toBe('rm_stage_history_v3');
    expect(schema.table('stages')).toBe('"rm_stage_history_v3"."stages"');
    expect(() => schema.table('stages"; DROP TABLE x; --')).toThrow('Table name');
  });

  it.each(['Pipeline', '2pipeline', 'pipe-line', '', 'x'.repeat(49)])('refuses the name "%s"', (name) => {
    expect(() => validateProjection(aProjection({ name }))).toThrow(`Projection name "${name}"`);
  });

  it.each([0, -1, 1.5, 2 ** 31])('refuses version %s', (version) => {
    expect(() => validateProjection(aProjection({ version }))).toThrow('versions are integers');
  });

  it('accepts several versions of one projection, but not one version twice', () => {
    expect(() => validateProjections([aProjection(), aProjection({ version: 2 })])).not.toThrow();
    expect(() => validateProjections([aProjection(), aProjection()])).toThrow('Projection pipeline version 1 is registered twice');
  });
});
