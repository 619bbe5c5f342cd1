import type { IncomingMessage } from 'node:http';
import { KubeError, unauthorized } from './errors.js';
import { kindByName } from './kinds.js';
import type { Route } from './routes.js';
import type { StoreCore } from './store-core.js';

/**
 * Authentication, impersonation and RBAC as the kube-apiserver does them, for
 * tests that need the cluster (not the client) to refuse: bearer tokens name
 * users and groups; `Impersonate-User`/`-Group` are honoured only for a caller
 * whose roles grant `impersonate` on those users and groups; every other
 * request is judged against the ClusterRoles, Roles and their bindings in the
 * store. `system:masters` may do anything.
 */
export interface Identity {
  user: string;
  groups: string[];
  /** the caller who asked to be this identity */
  impersonatedBy?: string;
}

interface Rule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
const MASTERS = 'system:masters';

function headerList(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name];
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',').map((s) => s.trim())).filter(Boolean);
}

function verbOf(method: string, r: Extract<Route, { type: 'resource' }>, url: URL): string {
  const watch = url.searchParams.get('watch');
  if (method === 'GET' || method === 'HEAD') return watch === 'true' || watch === '1' ? 'watch' : r.name === undefined ? 'list' : 'get';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return r.name === undefined ? 'deletecollection' : 'delete';
  return method.toLowerCase();
}

const has = (list: string[] | undefined, v: string) => list !== undefined && (list.includes('*') || list.includes(v));

export class Authorizer {
  constructor(private readonly store: StoreCore, private readonly tokens: Record<string, Identity>) {}

  /** The identity a request runs as, after impersonation; throws 401 or 403 Status errors. */
  authenticate(req: IncomingMessage): Identity {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const caller = token === undefined ? undefined : this.tokens[token];
    if (!caller) throw unauthorized();
    const user = headerList(req, 'impersonate-user')[0];
    const groups = headerList(req, 'impersonate-group');
    if (user === undefined) {
      if (groups.length > 0) throw new KubeError(500, 'InternalError', 'requested impersonation of groups without a user');
      return caller;
    }
    if (!this.allows(caller, { verb: 'impersonate', group: '', resource: 'users', name: user })) {
      throw forbiddenImpersonation(caller, 'users', user);
    }
    for (const g of groups) {
      if (!this.allows(caller, { verb: 'impersonate', group: '', resource: 'groups', name: g })) throw forbiddenImpersonation(caller, 'groups', g);
    }
    return { user, groups: [...groups, 'system:authenticated'], impersonatedBy: caller.user };
  }

  /** Throws the apiserver's 403 when `who` may not make this request. */
  authorize(who: Identity, method: string, r: Route, url: URL) {
    if (r.type !== 'resource') return; // discovery: system:discovery lets every authenticated caller read it
    const resource = r.info.plural + (r.subresource ? `/${r.subresource}` : '');
    const verb = verbOf(method, r, url);
    const attrs = { verb, group: r.info.group, resource, name: r.name, namespace: r.namespace };
    if (this.allows(who, attrs)) return;
    const what = `${r.info.plural}${r.info.group ? `.${r.info.group}` : ''}${r.name ? ` "${r.name}"` : ''}`;
    const where = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
    throw new KubeError(403, 'Forbidden',
      `${what} is forbidden: User "${who.user}" cannot ${verb} resource "${resource}" in API group "${r.info.group}" ${where}`);
  }

  private allows(who: Identity, a: { verb: string; group: string; resource: string; name?: string; namespace?: string }): boolean {
    if (who.groups.includes(MASTERS)) return true;
    return this.rulesFor(who, a.namespace).some((rule) =>
      has(rule.verbs, a.verb) && has(rule.apiGroups, a.group) && has(rule.resources, a.resource)
      && (!rule.resourceNames?.length || (a.name !== undefined && rule.resourceNames.includes(a.name))));
  }

  private rulesFor(who: Identity, namespace: string | undefined): Rule[] {
    const matches = (s: { kind: string; name: string; namespace?: string }) =>
      (s.kind === 'User' && s.name === who.user) || (s.kind === 'Group' && who.groups.includes(s.name))
      || (s.kind === 'ServiceAccount' && who.user === `system:serviceaccount:${s.namespace}:${s.name}`);
    const role = (kind: string, name: string, ns?: string): Rule[] =>
      this.store.list(kind === 'ClusterRole' ? 'rbac.authorization.k8s.io/v1' : 'rbac.authorization.k8s.io/v1', kind, ns)
        .find((x: any) => x.metadata.name === name)?.rules ?? [];
    const bindings = [
      ...this.store.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding').map((b: any) => ({ b, ns: undefined })),
      ...(namespace ? this.store.list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace).map((b: any) => ({ b, ns: namespace })) : []),
    ];
    return bindings.filter(({ b }) => (b.subjects ?? []).some(matches))
      .flatMap(({ b, ns }) => role(b.roleRef.kind, b.roleRef.name, b.roleRef.kind === 'Role' ? ns : undefined));
  }
}

const forbiddenImpersonation = (who: Identity, resource: string, name: string) =>
  new KubeError(403, 'Forbidden', `${resource} "${name}" is forbidden: User "${who.user}" cannot impersonate resource "${resource}" in API group "" at the cluster scope`);

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const WORKLOADS = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'pods/status', 'services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'namespaces'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale', 'deployments/status', 'statefulsets', 'statefulsets/scale', 'daemonsets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { apiGroups: ['argoproj.io'], resources: ['rollouts', 'rollouts/scale'] },
];

/** The default user-facing ClusterRoles (view, edit, admin; Secrets readable from edit up), as the bootstrap policy makes them. */
export function seedDefaultRoles(store: StoreCore) {
  const info = kindByName('ClusterRole')!;
  const role = (name: string, rules: Rule[]) =>
    store.insert(info, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules }, 'kube-apiserver');
  role('view', WORKLOADS.map((w) => ({ ...w, verbs: READ })));
  const edit = [...WORKLOADS, { apiGroups: [''], resources: ['secrets'] }].map((w) => ({ ...w, verbs: [...READ, ...WRITE] }));
  role('edit', edit);
  role('admin', [...edit, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] }]);
}
