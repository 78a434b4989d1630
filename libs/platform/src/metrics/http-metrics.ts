import type { Request, RequestHandler } from 'express';
import promBundle from 'express-prom-bundle';
import type { Registry } from 'prom-client';

/**
 * Upper bounds, in seconds, of the latency histograms: fine around the 50 ms the read queries
 * aim to answer within at the 95th percentile, coarse up to the 10 s a slow write may take.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route of a request no route answered (a 404): one series for them all. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route that answered `request`, as it was declared: `/v1/touchpoints`, `/metrics`, or the
 * path a whole application is mounted at (`/graphql`). Never the request's own path, whose ids
 * and whatever a scanner tries would make a series of each. `before` is the route the request
 * had on its way in: a middleware mounted for every path (as Nest mounts one) leaves its own
 * wildcard route on requests that no other route takes up.
 */
export function routeOf(request: Pick<Request, 'route' | 'baseUrl'>, before?: unknown): string {
  const route: unknown = request.route;
  const declared: unknown = (route as { path?: unknown } | undefined)?.path;
  if (route !== before && typeof declared === 'string') return declared;
  return request.baseUrl ? request.baseUrl : UNMATCHED_ROUTE;
}

/**
 * Express middleware that times every HTTP request into `http_request_duration_seconds` on
 * `registry`, labelled `method`, `path` (the route, `routeOf`) and `status_code`, once the
 * response is sent. Requests are timed only when it runs before whatever answers them.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const routesOnTheWayIn = new WeakMap<Request, unknown>();
  const timed = promBundle({
    // GET /metrics is the application's own (MetricsController); Prometheus adds `up` itself.
    autoregister: false,
    includeUp: false,
    includeMethod: true,
    includePath: true,
    normalizePath: (request) => routeOf(request, routesOnTheWayIn.get(request)),
    buckets: LATENCY_BUCKETS,
    promRegistry: registry,
  });
  return (request, response, next) => {
    routesOnTheWayIn.set(request, request.route);
    return timed(request, response, next);
  };
}
