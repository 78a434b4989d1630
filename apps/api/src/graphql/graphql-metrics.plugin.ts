import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, Metrics } from '@revops/platform';

/** What an operation is counted and timed by. */
export interface OperationLabels {
  /** query, mutation or subscription; `unknown` where the request never got as far as a valid operation. */
  operation: string;
  /** The root field it asks for, `several` for more than one, `unknown` as above. */
  field: string;
}

const UNKNOWN: OperationLabels = { operation: 'unknown', field: 'unknown' };

/**
 * The labels of an operation that passed validation, so that its field names are the schema's
 * own: a request that did not parse or validate could name anything, and is `unknown`.
 * Fragments at the root count with their fields; `__typename` beside a field does not count.
 */
export function operationLabels(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined): OperationLabels {
  if (operation === undefined || document === undefined) return UNKNOWN;
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const fields = new Set<string>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  if (fields.size > 1) fields.delete('__typename');
  const [only] = fields;
  return { operation: operation.operation, field: fields.size === 1 ? only : 'several' };
}

/** `OK`, or the code of the answer's first error, as the client got it. */
export function outcomeCode(response: GraphQLRequestContextWillSendResponse<object>['response']): string {
  const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
  if (errors === undefined || errors.length === 0) return 'OK';
  const code: unknown = errors[0].extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Counts every GraphQL operation the api answers over HTTP by its root field and outcome
 * (`revops_graphql_operations_total`, refusals such as QUERY_TOO_COMPLEX or
 * PROJECTION_TIMEOUT by their code), and times it from the request's arrival to its answer
 * (`revops_graphql_operation_duration_seconds`): what the HTTP histogram's one `/graphql`
 * route cannot tell apart, a page of deals from a quarter's sales metrics. Subscriptions
 * (graphql-ws) do not come this way.
 */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  private readonly operations: Counter<'operation' | 'field' | 'code'>;
  private readonly durations: Histogram<'operation' | 'field'>;

  constructor(metrics: Metrics) {
    this.operations = new Counter({
      name: 'revops_graphql_operations_total',
      help: 'GraphQL operations answered, by type, root field (several: more than one; unknown: not a valid operation) and outcome (OK or the first error code).',
      labelNames: ['operation', 'field', 'code'],
      registers: [metrics.registry],
    });
    this.durations = new Histogram({
      name: 'revops_graphql_operation_duration_seconds',
      help: 'Time from a GraphQL request to its answer, by operation type and root field.',
      labelNames: ['operation', 'field'],
      buckets: LATENCY_BUCKETS,
      registers: [metrics.registry],
    });
  }

  async requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const started = performance.now();
    return {
      willSendResponse: async ({ operation, document, response }) => {
        const labels = operationLabels(operation, document);
        this.operations.inc({ ...labels, code: outcomeCode(response) });
        this.durations.observe(labels, (performance.now() - started) / 1000);
      },
    };
  }
}
