#!/bin/sh
# Run once by the postgres image on an empty data directory: the service's login role, with the
# password from APP_DB_PASSWORD. It may do nothing yet; the migrations (run as the owner by the
# `migrate` service) grant it exactly what the service needs. Roles belong to the server, so a
# role made here by hand (or by an earlier volume) is left as it is.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="${DATABASE_APP_ROLE:-refugio_app}" -v password="$APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL

# The key store of the per-case data keys (KEYSTORE_URL's default: `<database>_keys`), a
# database apart from the case data; in production the service creates no database itself.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v keys="${POSTGRES_DB}_keys" <<'SQL'
SELECT format('CREATE DATABASE %I', :'keys')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'keys') \gexec
SQL
