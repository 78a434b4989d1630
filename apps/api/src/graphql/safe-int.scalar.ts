import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';

function safeInteger(value: unknown, shown: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError(`SafeInt cannot represent ${shown}: it must be a whole number from -(2^53-1) to 2^53-1`);
  }
  return value;
}

/**
 * Money in minor units outgrows GraphQL's 32-bit Int (21,474,836.47 EUR is a plausible
 * enterprise deal), while every integer up to 2^53-1 is exact in JSON and in JavaScript.
 * Values beyond that would be silently rounded by clients, so they are refused, as are
 * fractions and numeric strings.
 */
export const SafeIntScalar = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  description:
    'A whole number from -(2^53-1) to 2^53-1 (JavaScript safe integers), e.g. amounts in minor units; ' +
    'wider than Int, which stops at 2^31-1',
  serialize: (value) => safeInteger(value, JSON.stringify(value) ?? String(value)),
  parseValue: (value) => safeInteger(value, JSON.stringify(value) ?? String(value)),
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.INT) {
      throw new GraphQLError(`SafeInt cannot represent ${print(ast)}: it must be a whole number`, { nodes: ast });
    }
    return safeInteger(Number(ast.value), ast.value);
  },
});
