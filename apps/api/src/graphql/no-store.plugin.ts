import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Every answer is the read models at one moment, some of them one caller's: no cache between
 * the api and its callers may keep one. Said once per response, where Apollo's cache-control
 * plugin reaches the same `no-store` by wrapping the resolver of every field of every answer.
 */
export const noStorePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};
