#!/bin/sh
# Creates Temporal's two PostgreSQL databases (the default store and SQL visibility) and brings their schemas up to
# the version the schema tool carries. Safe to re-run: each step skips what is already done.
# Used by `tandem cluster up` and by the temporal-schema service of docker-compose.yml.
#   SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD: where PostgreSQL is; TEMPORAL_SQL_TOOL: the tool (temporal-sql-tool).
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
export SQL_PLUGIN=postgres12
for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  "$tool" --db "$db" create-database
  "$tool" --db "$db" setup-schema -v 0.0
  # The v12 schemas are embedded in the tool.
  "$tool" --db "$db" update-schema -s "postgresql/v12/$schema"
done
