/**
 * The versions of the production shape's third-party parts, in one place: `tandem cluster` provisions these, and
 * docker-compose.yml builds its images from the same numbers (test/deploy/compose.test.ts holds them together).
 */
export const CLUSTER_VERSIONS = {
  /** go.temporal.io/server: the server and its SQL schema tool come from the same module version. */
  temporalServer: '1.29.1',
  /** github.com/temporalio/ui-server/v2: later versions need a newer Go than Debian's toolchain here. */
  temporalUi: '2.55.0',
  /** PostgreSQL major version (Debian's postgresql-15; the postgres:15 image). */
  postgres: 15,
} as const;

export const GO_MODULES = {
  temporalServer: `go.temporal.io/server/cmd/server@v${CLUSTER_VERSIONS.temporalServer}`,
  temporalSqlTool: `go.temporal.io/server/cmd/tools/sql@v${CLUSTER_VERSIONS.temporalServer}`,
  temporalUi: `github.com/temporalio/ui-server/v2/cmd/server@v${CLUSTER_VERSIONS.temporalUi}`,
} as const;
