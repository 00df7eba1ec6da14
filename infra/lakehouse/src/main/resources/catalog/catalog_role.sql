-- The Iceberg catalog's role and database (LocalPostgres, run as the superuser; a CREATE is skipped
-- when the role or database exists). The role may log in and owns the catalog database, nothing more:
-- no superuser (so no COPY ... TO PROGRAM, no server file access), no CREATEDB, no CREATEROLE. The
-- password is (re)set from the role's password file on every start.
CREATE ROLE ${user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE ${user} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}';
CREATE DATABASE ${database} OWNER ${user};
REVOKE ALL ON DATABASE postgres FROM PUBLIC
