import { attributePaths, type PathModel } from './path-models';
import { byKey, handCheckRows, pathRow, refusal } from './testing/builders';

const credits = (model: PathModel, rows = [pathRow('a>b>c', { conversions: 10, value: 100 }), pathRow('c', { nulls: 5 })]) => byKey(attributePaths(rows, model).rows);

describe('attributePaths', () => {
  it('reads each row as that many identical journeys and ignores the failed ones (FIRST_TOUCH, LAST_TOUCH)', () => {
    expect(credits({ name: 'FIRST_TOUCH' })).toEqual({ a: { conversions: 10, value: 100 }, b: { conversions: 0, value: 0 }, c: { conversions: 0, value: 0 } });
    expect(credits({ name: 'LAST_TOUCH' })).toEqual({ a: { conversions: 0, value: 0 }, b: { conversions: 0, value: 0 }, c: { conversions: 10, value: 100 } });
  });

  it('counts a value once per touch under LINEAR', () => {
    expect(credits({ name: 'LINEAR' }, [pathRow('a>b>a', { conversions: 3, value: 30 })])).toEqual({ a: { conversions: 2, value: 20 }, b: { conversions: 1, value: 10 } });
  });

  it('weighs first, middle and last as POSITION_BASED, J_SHAPED and INVERSE_J do', () => {
    expect(credits({ name: 'POSITION_BASED' })).toEqual({ a: { conversions: 4, value: 40 }, b: { conversions: 2, value: 20 }, c: { conversions: 4, value: 40 } });
    expect(credits({ name: 'J_SHAPED' }, [pathRow('a>b', { conversions: 4, value: 8 })])).toEqual({ a: { conversions: 1, value: 2 }, b: { conversions: 3, value: 6 } });
    expect(credits({ name: 'INVERSE_J' }, [pathRow('a>b', { conversions: 4, value: 8 })])).toEqual({ a: { conversions: 3, value: 6 }, b: { conversions: 1, value: 2 } });
  });

  it('runs MARKOV with its options and SHAPLEY', () => {
    expect(attributePaths(handCheckRows(), { name: 'MARKOV', includeNulls: false }).rows.map(({ conversions }) => Number(conversions.toFixed(12)))).toEqual([0.333333333333, 0.333333333333, 0.333333333333]);
    expect(attributePaths(handCheckRows(), { name: 'SHAPLEY' })).toMatchObject({ model: 'SHAPLEY', totalConversions: 1, totalValue: 10 });
  });

  it.each([[{ name: 'LINEAR' }], [{ name: 'SHAPLEY' }], [{ name: 'MARKOV', includeNulls: false }]] as [PathModel][])(
    'lists every value of the rows under %j, one seen only on failed journeys at zero',
    (model) => {
      const rows = [pathRow('a', { conversions: 1 }), pathRow('z', { nulls: 2 })];

      expect(attributePaths(rows, model).rows.map(({ key, conversions }) => [key, conversions])).toEqual([
        ['a', 1],
        ['z', 0],
      ]);
    },
  );

  it('lists values by conversions, largest first', () => {
    expect(attributePaths([pathRow('a>b>c', { conversions: 1 }), pathRow('c', { conversions: 1 })], { name: 'LINEAR' }).rows.map(({ key }) => key)).toEqual(['c', 'a', 'b']);
  });

  it.each([
    ['TIME_DECAY', 'model TIME_DECAY cannot run on path rows: it needs the time of each touch and of the conversion, which path rows do not carry'],
    ['U_SHAPED', 'model U_SHAPED cannot run on path rows: it needs the lead-creation touch, which path rows do not mark'],
    ['W_SHAPED', /^model W_SHAPED cannot run on path rows: it needs the lead-creation and opportunity-creation touches/],
    ['FULL_PATH', /^model FULL_PATH cannot run on path rows/],
    ['LAST_NON_DIRECT', /^model LAST_NON_DIRECT cannot run on path rows: it needs each touch's channel/],
    ['CUSTOM', /^model CUSTOM cannot run on path rows/],
    ['toString', /^model toString is not one of/],
    ['NO_SUCH_MODEL', 'model NO_SUCH_MODEL is not one of FIRST_TOUCH, LAST_TOUCH, LINEAR, POSITION_BASED, J_SHAPED, INVERSE_J, MARKOV, SHAPLEY'],
  ])('refuses %s, saying why', (name, message) => {
    expect(() => attributePaths(handCheckRows(), { name } as PathModel)).toThrow(refusal({ code: 'UNSUPPORTED_MODEL', field: 'model', message }));
  });
});
