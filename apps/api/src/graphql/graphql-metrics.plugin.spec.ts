import { parse, type OperationDefinitionNode } from 'graphql';
import { operationLabels } from './graphql-metrics.plugin';

function labelsOf(query: string, operationName?: string) {
  const document = parse(query);
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  const operation = operationName === undefined ? operations[0] : operations.find((each) => each.name?.value === operationName);
  return operationLabels(operation, document);
}

describe('operationLabels', () => {
  it('labels an operation by its type and its one root field, whatever its aliases', () => {
    expect(labelsOf('{ opportunities(first: 5) { totalCount } }')).toEqual({ operation: 'query', field: 'opportunities' });
    expect(labelsOf('{ open: opportunities(first: 5) { totalCount } won: opportunities(first: 5) { totalCount } }')).toEqual({
      operation: 'query',
      field: 'opportunities',
    });
    expect(labelsOf('mutation Win { closeOpportunityWon(input: {}) { position } }')).toEqual({ operation: 'mutation', field: 'closeOpportunityWon' });
  });

  it('labels an operation of more than one root field as several, __typename aside', () => {
    expect(labelsOf('{ version { name } pipeline(pipelineId: "p") { pipelineId } }')).toEqual({ operation: 'query', field: 'several' });
    expect(labelsOf('{ __typename version { name } }')).toEqual({ operation: 'query', field: 'version' });
    expect(labelsOf('{ __typename }')).toEqual({ operation: 'query', field: '__typename' });
  });

  it('counts the root fields of fragments, each fragment once', () => {
    const query = `query Q { ...Root ... on Query { version { name } } }
      fragment Root on Query { version { version } ...Again }
      fragment Again on Query { ...Root }`;
    expect(labelsOf(query)).toEqual({ operation: 'query', field: 'version' });
    expect(labelsOf('query Q { ...Both } fragment Both on Query { version { name } projections { name } }')).toEqual({ operation: 'query', field: 'several' });
  });

  it('labels the operation the request named, and a request with none resolved as unknown', () => {
    const document = 'query A { version { name } } query B { projections { name } }';
    expect(labelsOf(document, 'B')).toEqual({ operation: 'query', field: 'projections' });
    expect(labelsOf(document, 'C')).toEqual({ operation: 'unknown', field: 'unknown' });
    expect(operationLabels(undefined, undefined)).toEqual({ operation: 'unknown', field: 'unknown' });
  });
});
