import { describe, expect, it } from 'vitest';
import { CATALOG, catalogTemplate } from '../../worker/catalog/index.js';
import { checkParameterSchema } from '../../worker/render/parameter-schema.js';
import { parseManifests } from '../../worker/render/parse-manifests.js';
import { renderApp } from '../../worker/render/render-app.js';
import type { KubeObject, Override, Rendered } from '../../worker/render/types.js';

function render(name: string, values: Record<string, unknown> = {}, opts: { namespace?: string; app?: string; overrides?: Override[] } = {}): Rendered {
  const found = catalogTemplate(name, '1.0.0');
  if (!found) throw new Error(`no catalog template ${name}`);
  return renderApp({
    template: { name, version: '1.0.0', catalog: true, ...found },
    tenant: 'acme',
    app: { name: opts.app ?? 'demo', namespace: opts.namespace ?? 'prod', deletionPolicy: 'Delete' },
    cluster: { name: 'eu-1', labels: { region: 'eu' } },
    values,
    overrides: (opts.overrides ?? []).map((override, index) => ({ index, override })),
  });
}

function objects(r: Rendered): KubeObject[] {
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2));
  return r.objects;
}

const ids = (os: KubeObject[]) => os.map((o) => `${o.kind}/${o.metadata.name}`);
const find = (os: KubeObject[], kind: string, name: string) => {
  const o = os.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${ids(os).join(', ')}`);
  return o as KubeObject & { spec: any; data: any };
};

/** Every leaf parameter has a default; objects get theirs from their properties. */
function missingDefaults(schema: any, at = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([k, s]: [string, any]) =>
    s.properties ? missingDefaults(s, `${at}/${k}`) : s.default === undefined ? [`${at}/${k}`] : [],
  );
}

function checkCommon(os: KubeObject[], app = 'demo', namespace = 'prod') {
  for (const o of os) {
    expect(o.metadata.labels).toMatchObject({ 'fleetplane.io/tenant': 'acme', 'fleetplane.io/app': app });
    if (['ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata.namespace).toBeUndefined();
    else expect(o.metadata.namespace).toBe(namespace);
    if (o.kind !== 'ClusterRoleBinding' && o.kind !== 'ClusterRole') {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': app });
    }
  }
  // workloads select their own pods, and every container says what it needs
  for (const o of os.filter((x) => ['Deployment', 'StatefulSet'].includes(x.kind)) as any[]) {
    expect(o.spec.template.metadata.labels).toMatchObject(o.spec.selector.matchLabels);
    for (const c of [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])]) {
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    }
  }
}

describe('catalog', () => {
  it('holds the seven templates, each with valid parameter schemas and a default for every parameter', () => {
    expect(CATALOG.map((t) => t.name)).toEqual(['web', 'redis', 'mysql', 'cronjob', 'stream-mixer', 'prometheus', 'canary-web']);
    for (const t of CATALOG) {
      expect(t.description.length).toBeGreaterThan(10);
      for (const v of t.versions) {
        expect(checkParameterSchema(v.parameters), t.name).toEqual([]);
        expect(missingDefaults(v.parameters), t.name).toEqual([]);
        expect(v.parameters.additionalProperties, t.name).toBe(false);
        expect(parseManifests(v.manifests).ok, t.name).toBe(true);
      }
    }
  });

  it('finds versions by name and version', () => {
    expect(catalogTemplate('web', '1.0.0')).toEqual({ parameters: CATALOG[0]!.versions[0]!.parameters, manifests: CATALOG[0]!.versions[0]!.manifests });
    expect(catalogTemplate('web', '9.9.9')).toBeUndefined();
    expect(catalogTemplate('nope', '1.0.0')).toBeUndefined();
  });

  it('rejects a misspelt parameter', () => {
    const r = render('web', { replicaz: 3, ingress: { enabeld: true } });
    expect(r.ok ? [] : r.errors.map((e) => e.pointer)).toEqual(['/spec/values/ingress/enabeld', '/spec/values/replicaz']);
  });
});

describe('web', () => {
  it('renders a Deployment and a Service with the defaults', () => {
    const os = objects(render('web'));
    expect(ids(os)).toEqual(['Deployment/demo', 'Service/demo']);
    checkCommon(os);
    const d = find(os, 'Deployment', 'demo');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    expect(find(os, 'Service', 'demo').spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  it('takes image, replicas, port, env and resources', () => {
    const os = objects(render('web', { image: 'ghcr.io/acme/shop:1.2', replicas: 5, port: 3000, env: [{ name: 'MODE', value: 'prod' }], resources: { limits: { cpu: '2' } } }));
    const c = find(os, 'Deployment', 'demo').spec.template.spec.containers[0];
    expect(c).toMatchObject({ image: 'ghcr.io/acme/shop:1.2', env: [{ name: 'MODE', value: 'prod' }], ports: [{ name: 'http', containerPort: 3000 }] });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '256Mi' } });
    expect(find(os, 'Deployment', 'demo').spec.replicas).toBe(5);
  });

  it('exposes <app>.<wildcardDomain> with TLS', () => {
    const os = objects(render('web', { ingress: { enabled: true, wildcardDomain: 'apps.example.com', tlsSecretName: 'wildcard-tls', className: 'nginx' } }, { app: 'shop' }));
    checkCommon(os, 'shop');
    expect(find(os, 'Ingress', 'shop').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.apps.example.com'], secretName: 'wildcard-tls' }],
      rules: [{ host: 'shop.apps.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } }] } }],
    });
  });

  it('exposes a custom host, without TLS or class when not given', () => {
    const ing = find(objects(render('web', { ingress: { enabled: true, host: 'www.example.org', wildcardDomain: 'apps.example.com' } })), 'Ingress', 'demo');
    expect(ing.spec).not.toHaveProperty('tls');
    expect(ing.spec).not.toHaveProperty('ingressClassName');
    expect(ing.spec.rules[0].host).toBe('www.example.org');
  });

  it('refuses an enabled ingress without a host', () => {
    const r = render('web', { ingress: { enabled: true } });
    expect(r.ok ? [] : r.errors).toEqual([{ pointer: '/spec/values/ingress/host', message: 'cluster "eu-1": must not be empty' }]);
  });
});

describe('redis', () => {
  it('is a Deployment on an emptyDir by default', () => {
    const os = objects(render('redis'));
    expect(ids(os)).toEqual(['Deployment/demo', 'Service/demo']);
    checkCommon(os);
    const d = find(os, 'Deployment', 'demo');
    expect(d.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(d.spec).not.toHaveProperty('volumeClaimTemplates');
    expect(d.spec.template.spec.containers[0].args).toContain('no');
  });

  it('is a StatefulSet with a claim, a headless Service and a password with persistence', () => {
    const os = objects(render('redis', { persistence: { enabled: true, size: '5Gi', storageClassName: 'fast' }, passwordSecret: 'redis-auth' }));
    expect(ids(os)).toEqual(['StatefulSet/demo', 'Service/demo', 'Service/demo-headless']);
    checkCommon(os);
    const s = find(os, 'StatefulSet', 'demo');
    expect(s.spec.serviceName).toBe('demo-headless');
    expect(s.spec).not.toHaveProperty('strategy');
    expect(s.spec.template.spec).not.toHaveProperty('volumes');
    expect(s.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } });
    const c = s.spec.template.spec.containers[0];
    expect(c.args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--requirepass', '$(REDIS_PASSWORD)']));
    expect(c.env[0].valueFrom.secretKeyRef).toEqual({ name: 'redis-auth', key: 'password' });
    expect(c.readinessProbe.exec.command[2]).toContain('${REDIS_PASSWORD:+');
    expect(find(os, 'Service', 'demo-headless').spec.clusterIP).toBe('None');
  });
});

describe('mysql', () => {
  const names = ['ConfigMap/demo-config', 'StatefulSet/demo-primary', 'Service/demo-primary-headless', 'Service/demo-primary', 'StatefulSet/demo-replica', 'Service/demo-replica-headless', 'Service/demo-replicas'];

  it('renders a primary and one replica on volumes by default', () => {
    const os = objects(render('mysql'));
    expect(ids(os)).toEqual(names);
    checkCommon(os);
    expect(find(os, 'StatefulSet', 'demo-primary').spec.replicas).toBe(1);
    expect(find(os, 'StatefulSet', 'demo-replica').spec.replicas).toBe(1);
    expect(find(os, 'StatefulSet', 'demo-primary').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
  });

  it('sizes the replica set, storage and secret from the values', () => {
    const os = objects(render('mysql', { replicas: 3, storage: '50Gi', storageClassName: 'ssd', rootPasswordSecret: 'db-root', database: 'shop' }));
    const replica = find(os, 'StatefulSet', 'demo-replica');
    expect(replica.spec.replicas).toBe(3);
    expect(replica.spec.serviceName).toBe('demo-replica-headless');
    expect(replica.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'ssd', resources: { requests: { storage: '50Gi' } } });
    const c = replica.spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-root', key: 'password' } } },
      { name: 'MYSQL_DATABASE', value: 'shop' },
    ]);
    // only replicas run the script that follows the primary
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain('/docker-entrypoint-initdb.d/replication.sh');
    const primary = find(os, 'StatefulSet', 'demo-primary').spec.template.spec;
    expect(primary.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain('/docker-entrypoint-initdb.d/replication.sh');
    expect(find(os, 'ConfigMap', 'demo-config').data['replica-init.sh']).toContain("SOURCE_HOST='demo-primary'");
    expect(replica.spec.template.spec.initContainers[0].command[2]).toContain('id=$((100 + ordinal))');
    expect(find(os, 'Service', 'demo-replicas').spec.selector['app.kubernetes.io/component']).toBe('replica');
    expect(find(os, 'Service', 'demo-primary').spec.selector['app.kubernetes.io/component']).toBe('primary');
  });
});

describe('cronjob', () => {
  it('renders a CronJob from the defaults and from values', () => {
    const d = objects(render('cronjob'));
    checkCommon(d);
    expect(find(d, 'CronJob', 'demo').spec).toMatchObject({ schedule: '0 * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const os = objects(render('cronjob', { schedule: '*/5 * * * *', image: 'alpine:3.20', command: ['echo', 'hi'], concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 0 }));
    const spec = find(os, 'CronJob', 'demo').spec;
    expect(spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 0 });
    expect(spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({ image: 'alpine:3.20', command: ['echo', 'hi'] });
    expect(render('cronjob', { concurrencyPolicy: 'Sometimes' }).ok).toBe(false);
  });
});

describe('stream-mixer', () => {
  it('says what is missing when rendered with its (empty) defaults', () => {
    const r = render('stream-mixer');
    expect(r.ok ? [] : r.errors.map((e) => e.pointer)).toEqual(['/spec/values/videoSource', '/spec/values/audioSource', '/spec/values/rtmpUrl']);
  });

  const sources = { videoSource: 'rtmp://cam.example.com/live/cam1', audioSource: 'https://radio.example.com/stream.aac', videoBitrate: '3000k', audioBitrate: '128k' };

  it('pushes to a plain RTMP URL', () => {
    const os = objects(render('stream-mixer', { ...sources, rtmpUrl: 'rtmp://live.example.com/app/key' }));
    checkCommon(os);
    const c = find(os, 'Deployment', 'demo').spec.template.spec.containers[0];
    expect(c.command).toEqual(['ffmpeg']);
    expect(c.args.slice(0, 7)).toEqual(['-hide_banner', '-loglevel', 'warning', '-i', sources.videoSource, '-i', sources.audioSource]);
    expect(c.args).toEqual(expect.arrayContaining(['-b:v', '3000k', '-b:a', '128k']));
    expect(c.args.at(-1)).toBe('rtmp://live.example.com/app/key');
    expect(c.env).toEqual([]);
  });

  it('takes the RTMP URL from a Secret when one is named', () => {
    const os = objects(render('stream-mixer', { ...sources, rtmpUrl: 'rtmp://ignored/x', rtmpUrlSecret: 'stream-key' }));
    const c = find(os, 'Deployment', 'demo').spec.template.spec.containers[0];
    expect(c.args.at(-1)).toBe('$(RTMP_URL)');
    expect(c.env).toEqual([{ name: 'RTMP_URL', valueFrom: { secretKeyRef: { name: 'stream-key', key: 'url' } } }]);
    expect(JSON.stringify(os)).not.toContain('rtmp://ignored');
  });
});

describe('prometheus', () => {
  it('renders the server, its configuration and RBAC', () => {
    const os = objects(render('prometheus'));
    expect(ids(os)).toEqual(['ServiceAccount/demo', 'ClusterRole/prod.demo.prometheus', 'ClusterRoleBinding/prod.demo.prometheus', 'ConfigMap/demo-config', 'Deployment/demo', 'Service/demo']);
    checkCommon(os);
    const role = find(os, 'ClusterRole', 'prod.demo.prometheus') as any;
    expect(role.rules[0]).toEqual({ apiGroups: [''], resources: ['pods', 'nodes', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] });
    expect(role.rules[1]).toEqual({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] });
    const binding = find(os, 'ClusterRoleBinding', 'prod.demo.prometheus') as any;
    expect(binding.roleRef.name).toBe('prod.demo.prometheus');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'demo', namespace: 'prod' }]);
    const config = find(os, 'ConfigMap', 'demo-config').data['prometheus.yml'];
    expect(config).toContain('role: pod');
    expect(config).toContain('__meta_kubernetes_pod_annotation_prometheus_io_scrape');
    expect(config).toContain('regex: ([^:]+)(?::\\d+)?;(\\d+)');
    expect(config).toContain('replacement: $1:$2');
    expect(config).toContain('cluster: eu-1');
    expect(find(os, 'Deployment', 'demo').spec.template.spec.serviceAccountName).toBe('demo');
  });

  it('gives its cluster-scoped objects names unique per namespace and app', () => {
    const clusterScoped = (namespace: string, app: string) =>
      objects(render('prometheus', { retention: '30d' }, { namespace, app }))
        .filter((o) => o.metadata.namespace === undefined)
        .map((o) => `${o.kind}/${o.metadata.name}`);
    const all = [clusterScoped('a', 'mon'), clusterScoped('b', 'mon'), clusterScoped('a', 'mon2')];
    expect(all[0]).toEqual(['ClusterRole/a.mon.prometheus', 'ClusterRoleBinding/a.mon.prometheus']);
    expect(new Set(all.flat()).size).toBe(6);
  });
});

describe('catalog templates with overrides', () => {
  it('patches a catalog object per cluster', () => {
    const os = objects(render('web', {}, { overrides: [{ clusters: ['eu-1'], values: { replicas: 4 }, patches: [{ target: { kind: 'Service', name: 'demo' }, op: 'replace', path: '/spec/type', value: 'LoadBalancer' }] }] }));
    expect(find(os, 'Deployment', 'demo').spec.replicas).toBe(4);
    expect(find(os, 'Service', 'demo').spec.type).toBe('LoadBalancer');
  });
});

describe('canary-web', () => {
  it('renders an Argo Rollout with canary steps (a pause without duration waits for a promotion) and a Service', () => {
    const os = objects(render('canary-web'));
    expect(ids(os)).toEqual(['Rollout/demo', 'Service/demo']);
    checkCommon(os);
    const r = find(os, 'Rollout', 'demo');
    expect(r.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(r.spec.replicas).toBe(5);
    expect(r.spec.strategy.canary.steps).toEqual([{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '60s' } }]);
    expect(r.spec.template.metadata.labels).toMatchObject(r.spec.selector.matchLabels);
    expect(find(os, 'Service', 'demo').spec.selector).toEqual(r.spec.selector.matchLabels);
  });

  it('takes its own steps, and refuses a step without a pause or with a weight over 100', () => {
    const r = find(objects(render('canary-web', { steps: [{ setWeight: 10, pauseSeconds: 30 }, { setWeight: 100, pauseSeconds: 0 }] })), 'Rollout', 'demo');
    expect(r.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '30s' } }, { setWeight: 100 }, { pause: {} }]);
    const bad = render('canary-web', { steps: [{ setWeight: 101, pauseSeconds: 0 }, { setWeight: 5 }] });
    expect(bad.ok ? [] : bad.errors.map((e) => e.pointer)).toEqual(['/spec/values/steps/0/setWeight', '/spec/values/steps/1/pauseSeconds']);
  });
});
