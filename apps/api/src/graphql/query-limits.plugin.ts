import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { type DocumentNode, getNullableType, GraphQLError, isListType, validate, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { AppConfig } from '@revops/platform';

/** The most a query may ask for: how deeply its fields nest, and what it costs (`fieldCost`). */
type QueryLimits = AppConfig['graphqlLimits'];

/** Items a list with nothing to bound it is taken to hold: an account's deals, a deal's stays. */
export const LIST_SIZE_ESTIMATE = 10;

/**
 * What a field costs: 1, and what is selected under it once for every item it can return. A
 * page returns as many as its `first` asks (its connection's `edges` then count once); any
 * other list `LIST_SIZE_ESTIMATE`. The schema's relations go both ways (a deal's account, the
 * account's deals), so without a bound a few lines of query could ask for every deal once per
 * level: a page of 50 deals with their accounts' deals and those deals' stays costs 50 ×
 * (10 × 10) stays, and then some.
 */
export const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const first: unknown = args.first;
  if (typeof first === 'number') return 1 + first * childComplexity;
  const list = isListType(getNullableType(field.type)) && !type.name.endsWith('Connection');
  return 1 + (list ? LIST_SIZE_ESTIMATE : 1) * childComplexity;
};

/**
 * Refuses, before anything runs, a query nested deeper than `maxDepth` fields (introspection
 * aside) with QUERY_TOO_DEEP, and one costing more than `maxCost` with QUERY_TOO_COMPLEX;
 * both as HTTP 400 and with the figures in the message. Subscriptions (graphql-ws) do not come
 * this way; their payloads have no nested relations.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  const depthRule: ValidationRule = maxDepthRule({
    n: limits.maxDepth,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(error)],
  });
  // A document's depth is its own: Apollo hands the same parsed document to every request with
  // the same query text, so each is measured once. Its cost depends on the variables (first).
  const depths = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          let tooDeep = depths.get(document);
          if (tooDeep === undefined) {
            tooDeep = validate(schema, document, [depthRule])[0] ?? null;
            depths.set(document, tooDeep);
          }
          if (tooDeep) throw refusal(tooDeep.message.replace(/^Syntax Error: /, ''), 'QUERY_TOO_DEEP');
          const cost = costOf({ schema, query: document, variables: request.variables, operationName: request.operationName, estimators: [fieldCost] });
          if (cost !== undefined && cost > limits.maxCost) {
            throw refusal(`Query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for fewer items (first) or fewer nested lists`, 'QUERY_TOO_COMPLEX');
          }
        },
      };
    },
  };
}

/**
 * The query's cost, or undefined where its variables do not fit their types: execution then
 * refuses it with BAD_USER_INPUT and the field, as it does every bad variable.
 */
function costOf(options: Parameters<typeof getComplexity>[0]): number | undefined {
  try {
    return getComplexity(options);
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
}

function refusal(message: string, code: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX'): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
