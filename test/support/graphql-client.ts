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

/** A log position as the API writes it: 64-bit numbers as decimal strings. */
export type WirePosition = { commit: string; prepare: string };

/**
 * Runs the mutation `name(input: …Input)` and returns its receipt (`position` and the fields of
 * `selection`); a refusal fails the test with the errors.
 */
export async function runMutation<Receipt extends { position: WirePosition } = { position: WirePosition }>(
  send: ReturnType<typeof graphqlClient>,
  name: string,
  input: Record<string, unknown>,
  options: { selection?: string; headers?: Record<string, string> } = {},
): Promise<Receipt> {
  const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const response = await send<Record<string, Receipt>>(
    `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${options.selection ?? ''} position { commit prepare } } }`,
    { input },
    options.headers,
  );
  if (response.errors) throw new Error(`${name} was refused: ${JSON.stringify(response.errors)}`);
  return response.data![name];
}
