/**
 * The JSON API under /ui/api/: which handler answers a method and path. Reads are open;
 * every POST is an admin action and checks the admin token before anything else.
 *
 *   GET  console | cluster | metrics | topics | topics/NAME | groups | groups/ID
 *   POST topics | groups/ID/reset-offsets | nodes/ID/drain | nodes/ID/resume
 */
import type { IncomingMessage } from 'node:http';
import { badRequest, HttpError } from '../http/http-error.js';
import { readJsonBody } from '../http/read-json-body.js';
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import { createTopicAction, drainAction, resetOffsetsAction, resumeAction } from './actions-api.js';
import type { AdminClient } from './admin-client.js';
import { requireAdminToken } from './admin-token.js';
import { clusterView } from './cluster-api.js';
import { groupsPage, groupView } from './groups-api.js';
import { metricsView } from './metrics-api.js';
import { topicsPage, topicView } from './topics-api.js';

export const API_PREFIX = '/ui/api/';

export interface ApiContext {
  readonly admin: AdminClient;
  readonly metrics: MetricsSampler;
  /** Undefined: admin actions are disabled. */
  readonly adminToken: string | undefined;
  readonly version: string;
}

/** The path after /ui/api/, split at '/' with each segment percent-decoded. */
export function apiSegments(pathname: string): string[] {
  const rest = pathname.slice(API_PREFIX.length);
  if (rest === '') return [];
  return rest.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`the path segment '${s}' is not valid percent-encoding`);
    }
  });
}

/** The answer's body for a request under /ui/api/ (an HttpError for a refusal). */
export async function routeApi(ctx: ApiContext, req: IncomingMessage, url: URL): Promise<unknown> {
  const segments = apiSegments(url.pathname);
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const [first = '', second, third, ...more] = segments;
  if (more.length > 0 || segments.some((s) => s === '')) throw notFound(url.pathname);
  if (method === 'GET') {
    if (third !== undefined) throw notFound(url.pathname);
    switch (first) {
      case 'console':
        if (second === undefined) return consoleInfo(ctx);
        break;
      case 'cluster':
        if (second === undefined) return clusterView(ctx.admin);
        break;
      case 'metrics':
        if (second === undefined) return metricsView(ctx.metrics);
        break;
      case 'topics':
        return second === undefined
          ? topicsPage(ctx.admin, url.searchParams)
          : topicView(ctx.admin, second);
      case 'groups':
        return second === undefined
          ? groupsPage(ctx.admin, url.searchParams)
          : groupView(ctx.admin, second);
    }
    throw notFound(url.pathname);
  }
  if (method === 'POST') {
    const action = postAction(first, second, third);
    if (action === undefined) throw notFound(url.pathname);
    requireAdminToken(ctx.adminToken, req.headers.authorization);
    return action(ctx.admin, await readJsonBody(req));
  }
  throw new HttpError(405, `method ${method} is not allowed here (GET, or POST for actions)`);
}

type Action = (admin: AdminClient, body: unknown) => Promise<unknown>;

function postAction(
  first: string,
  second: string | undefined,
  third: string | undefined,
): Action | undefined {
  if (first === 'topics' && second === undefined) return createTopicAction;
  if (second === undefined) return undefined;
  if (first === 'groups' && third === 'reset-offsets') {
    return (admin, body) => resetOffsetsAction(admin, second, body);
  }
  if (first === 'nodes' && third === 'drain') return (admin) => drainAction(admin, second);
  if (first === 'nodes' && third === 'resume') return (admin) => resumeAction(admin, second);
  return undefined;
}

function consoleInfo(ctx: ApiContext) {
  return {
    version: ctx.version,
    adminActions: ctx.adminToken !== undefined,
    metricsSources: ctx.metrics.urls,
  };
}

function notFound(path: string): HttpError {
  return new HttpError(404, `no such API: ${path}`);
}
