import request from 'supertest';
import { allProjections } from '@revops/projections';

/** The series that say each projection version this build runs is caught up. */
export const everyProjectionCaughtUp = allProjections.map(
  ({ name, version }) => `revops_projection_state{projection="${name}",version="${version}",state="caught_up"} 1`,
);

/**
 * `GET /metrics` of `baseUrl`, scraped again until the answer holds every line of `lines` or
 * `timeoutMs` has passed; the last answer either way, for the test to assert on.
 */
export async function scrapeUntil(baseUrl: string, lines: readonly string[], timeoutMs = 30_000): Promise<request.Response> {
  let response = await request(baseUrl).get('/metrics');
  for (const deadline = Date.now() + timeoutMs; !lines.every((line) => response.text.includes(line)) && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    response = await request(baseUrl).get('/metrics');
  }
  return response;
}

/** The value of one series in a Prometheus text answer, 0 while it has no sample. */
export function sampleOf(text: string, series: string): number {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
