// Which folder may import which: the rules docs/architecture.md describes, checked on every `npm test`
// (test/architecture/dependencies.test.ts) and by `npm run lint`.
const PRODUCT = '^(common|mappings|workflows|activities|ingress|workers|cli|demo)/';

/** A rule: files under `from` may import nothing under `to` (a path regex), except files matching `unless`. */
const forbid = (name, comment, from, to, extra = {}) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, ...extra.from },
  to: { path: to, ...extra.to },
});

module.exports = {
  forbidden: [
    forbid(
      'sandbox-stands-alone',
      'The emulators import nothing of the product: they could be published on their own.',
      '^sandbox/',
      '^(?!sandbox/|node_modules/)[^/]+/',
      {
        to: { dependencyTypesNot: ['core'] },
      },
    ),
    forbid(
      'product-does-not-use-the-sandbox',
      'Only the commands that launch the emulators (tandem start, tandem sandbox) import sandbox/.',
      PRODUCT,
      '^sandbox/',
      { from: { pathNot: '^(workers/local-system/(sandboxes|sandbox-plan)\\.ts|cli/sandbox/)' } },
    ),
    forbid(
      'common-is-a-leaf',
      'common/ is imported by everyone, so it imports nothing of the product.',
      '^common/',
      '^(mappings|workflows|activities|ingress|workers|cli|demo|sandbox)/',
    ),
    forbid(
      'mappings-are-pure',
      'mappings/ is data and pure functions over common/.',
      '^mappings/',
      '^(workflows|activities|ingress|workers|cli|demo|sandbox)/',
    ),
    forbid(
      'workflows-only-orchestrate',
      'Workflow code uses mappings/, common/ and activity types; never activity code, ingress, processes or the CLI.',
      '^workflows/',
      '^(ingress|workers|cli|demo|sandbox)/|^activities/(?!.*/types\\.ts$)',
    ),
    forbid(
      'activities-talk-to-one-system',
      'Activities use common/ and mappings/; they import nothing of the workflows (the types both need are the activities’ own types.ts), the ingress or the processes.',
      '^activities/',
      '^(workflows|ingress|workers|cli|demo|sandbox)/',
    ),
    forbid(
      'activities-stay-in-their-system',
      'activities/salesforce and activities/procore do not import each other.',
      '^activities/salesforce/',
      '^activities/procore/',
    ),
    forbid(
      'procore-activities-stay-in-their-system',
      'See activities-stay-in-their-system.',
      '^activities/procore/',
      '^activities/salesforce/',
    ),
    forbid(
      'ingress-only-receives',
      'The ingress does not import the processes that run it, the CLI or the demo.',
      '^ingress/',
      '^(workers|cli|demo|sandbox)/',
    ),
    forbid(
      'demo-sits-on-top',
      'The demo console reads the sandboxes over HTTP and the operator API; the processes start it.',
      '^demo/',
      '^(workers|cli|sandbox|workflows|activities)/',
    ),
    forbid(
      'workers-do-not-use-the-cli',
      'Processes are started by the CLI, never the other way round.',
      '^workers/',
      '^cli/',
    ),
    forbid(
      'product-does-not-use-tests',
      'Tests and benchmarks use the product; the product uses neither.',
      `${PRODUCT}|^sandbox/`,
      '^(test|bench)/',
    ),
    {
      name: 'no-circular',
      comment: 'A cycle between modules makes their start-up order and their tests depend on each other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.tools|data|test-output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
