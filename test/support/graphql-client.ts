import request from 'supertest';

export interface GraphqlFieldError {
  field: string;
  message: string;
}

export interface GraphqlError {
  message: string;
  path?: string[];
  extensions: { code: string; fieldErrors?: GraphqlFieldError[] };
}

export interface GraphqlResponse<Data> {
  status: number;
  data: Data | null | undefined;
  errors: GraphqlError[] | undefined;
}

/** Posts GraphQL operations to a running api, the way a browser or an integration would. */
export function graphqlClient(baseUrl: string) {
  return async function send<Data = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponse<Data>> {
    const response = await request(baseUrl).post('/graphql').set(headers).send({ query, variables });
    return { status: response.status, data: response.body.data, errors: response.body.errors };
  };
}
