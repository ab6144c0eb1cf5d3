/**
 * Routes ARM requests. Paths are matched segment by segment, case-insensitively, after leading
 * slashes are collapsed (arm-authorization sends `//subscriptions/...`, and lower-case
 * `resourcegroups`: specs/README.md). Authentication and api-version are checked before the route.
 */
import type { SandboxServices } from '../contracts.js';
import type { Handler, SandboxRequest } from '../http/types.js';
import { checkApiVersion } from './api-versions.js';
import { authenticateArm } from './auth.js';
import type { ArmRoute } from './context.js';

interface Match {
  route: ArmRoute;
  params: Record<string, string>;
}

function matchRoute(route: ArmRoute, segments: string[]): Record<string, string> | undefined {
  const pattern = route.pattern.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  let offset = 0;
  if (pattern[0] === '{scope*}') {
    const rest = pattern.slice(1);
    offset = segments.length - rest.length;
    if (offset < 0) return undefined;
    params.scope = `/${segments.slice(0, offset).join('/')}`;
    pattern.shift();
  }
  if (segments.length - offset !== pattern.length) return undefined;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = segments[i + offset] ?? '';
    if (expected.startsWith('{')) params[expected.slice(1, -1)] = decodeURIComponent(actual);
    else if (expected.toLowerCase() !== actual.toLowerCase()) return undefined;
  }
  return params;
}

function findRoute(routes: ArmRoute[], req: SandboxRequest): Match | undefined | 'method' {
  const segments = req.path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchRoute(route, segments);
    if (!params) continue;
    pathMatched = true;
    if (route.method === req.method.toUpperCase()) return { route, params };
  }
  return pathMatched ? 'method' : undefined;
}

export function createArmHandler(services: SandboxServices, routes: ArmRoute[]): Handler {
  return async (req) => {
    const found = findRoute(routes, req);
    if (found === undefined) return undefined;
    if (found === 'method') return { status: 405, body: { error: { code: 'MethodNotAllowed', message: `The requested resource does not support http method '${req.method}'.` } } };
    const versionProblem = checkApiVersion(req, found.route.provider);
    if (versionProblem) return versionProblem;
    const caller = authenticateArm(services, req);
    if ('status' in caller) return caller;
    services.world.tick();
    return found.route.handle({ services, req, caller, params: found.params });
  };
}
