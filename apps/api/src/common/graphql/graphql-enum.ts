import { registerEnumType } from '@nestjs/graphql';

/**
 * A GraphQL enum over one of the domain's value lists: names are the values in upper
 * case (PAID_SEARCH), values are the domain's own (paid_search), so resolvers hand the
 * domain exactly what it expects.
 */
export function graphqlEnum<Value extends string>(
  name: string,
  values: readonly Value[],
  description: string,
): Record<string, Value> {
  const enumObject = Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as Record<string, Value>;
  registerEnumType(enumObject, { name, description });
  return enumObject;
}
