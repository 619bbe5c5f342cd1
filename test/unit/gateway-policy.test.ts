import { describe, expect, it } from 'vitest';
import { pathProblem, requestHeaders, responseHeaders, wantsUpgrade } from '../../worker/gateway/tunnel/policy.js';

describe('what passes the gateway', () => {
  it('drops the caller’s credentials, impersonation, hop-by-hop headers and whatever Connection names', () => {
    const kept = requestHeaders([
      ['Accept', 'application/json'], ['Authorization', 'Bearer fp_x'], ['Cookie', 'fp_session=1'],
      ['Impersonate-User', 'system:admin'], ['Impersonate-Group', 'system:masters'], ['Impersonate-Extra-Scopes', 'x'], ['Impersonate-Uid', '1'],
      ['Connection', 'keep-alive, X-Sneaky, Impersonate-User'], ['X-Sneaky', 'yes'], ['Transfer-Encoding', 'chunked'], ['Host', 'evil'],
      ['X-Remote-User', 'admin'], ['X-Remote-Group', 'system:masters'], ['X-Remote-Extra-Foo', 'bar'], ['Content-Type', 'application/apply-patch+yaml'],
    ]);
    expect(kept).toEqual([['accept', 'application/json'], ['content-type', 'application/apply-patch+yaml']]);
    expect(responseHeaders([['Content-Type', 'application/json'], ['Set-Cookie', 'a=b'], ['Connection', 'close, X-Internal'], ['X-Internal', '1'], ['Audit-Id', 'z']]))
      .toEqual([['content-type', 'application/json'], ['audit-id', 'z']]);
  });

  it('takes only the API server’s paths, without dot segments plain or encoded', () => {
    for (const ok of ['/api/v1/namespaces/a/pods?watch=1', '/apis/apps/v1/deployments', '/version', '/openapi/v2', '/api']) expect(pathProblem(ok), ok).toBeUndefined();
    expect(pathProblem('/../../clusters/b/proxy/api')).toMatch(/dot segment/);
    expect(pathProblem('/api/%2e%2e/%2E%2E/x')).toMatch(/dot segment/);
    expect(pathProblem('/api/v1/a%2fb')).toMatch(/encoded \//);
    expect(pathProblem('//evil.example/api')).toMatch(/single \//);
    expect(pathProblem('/metrics')).toMatch(/only the API server/);
    expect(pathProblem('/api\\..\\x')).toMatch(/backslash/);
    expect(pathProblem('/api/%zz')).toMatch(/percent-encoding/);
  });

  it('sees a protocol switch asked for', () => {
    expect(wantsUpgrade([['Connection', 'Upgrade'], ['Upgrade', 'SPDY/3.1']])).toBe(true);
    expect(wantsUpgrade([['Accept', '*/*']])).toBe(false);
  });
});
