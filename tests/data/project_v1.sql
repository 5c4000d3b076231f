-- A project store as MoMQ Studio wrote it at store version 1 (before training runs, reports and
-- history existed), with a few rows. test_store opens it to check the forward migration keeps
-- every row. Frozen: never edit, it stands for files users already have.
PRAGMA application_id = 1299139921;
PRAGMA journal_mode = WAL;
CREATE TABLE momq_schema_version(version INTEGER NOT NULL);
INSERT INTO momq_schema_version VALUES (1);
CREATE TABLE connections(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  engine TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  port INTEGER NOT NULL DEFAULT 0,
  database TEXT NOT NULL DEFAULT '',
  user TEXT NOT NULL DEFAULT '',
  secret_key TEXT NOT NULL DEFAULT '');
CREATE TABLE schemas(
  id INTEGER PRIMARY KEY,
  db_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  schema_json TEXT NOT NULL);
CREATE TABLE datasets(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE dataset_items(
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  dialect TEXT NOT NULL,
  db_id TEXT NOT NULL,
  question TEXT NOT NULL,
  query TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '');
CREATE INDEX dataset_items_by_dataset ON dataset_items(dataset_id);
CREATE TABLE models(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  config_json TEXT NOT NULL);
INSERT INTO connections(name, engine, path) VALUES ('club', 'sqlite', '/data/club.sqlite');
INSERT INTO connections(name, engine, host, port, database, user, secret_key)
  VALUES ('warehouse', 'postgresql', 'db.example', 5432, 'sales', 'analyst', 'momq-studio/warehouse');
INSERT INTO schemas(db_id, kind, connection_id, source, imported_at, schema_json) VALUES
  ('club', 'relational', 1, 'sqlite:/data/club.sqlite', '2026-01-02T03:04:05.000Z',
   '{"db_id":"club","kind":"relational","tables":[{"name":"member","columns":[{"name":"id","type":"INTEGER","primary_key":true}]}],"foreign_keys":[]}');
INSERT INTO datasets(name, source, created_at) VALUES ('dev', 'dev.jsonl', '2026-01-02T03:04:05.000Z');
INSERT INTO dataset_items(dataset_id, item_id, dialect, db_id, question, query) VALUES
  (1, 'q1', 'mysql', 'club', 'How many members?', 'SELECT COUNT(*) FROM member'),
  (1, 'q2', 'postgresql', 'club', 'List members', 'SELECT id FROM member');
INSERT INTO models(name, path, config_json) VALUES ('tiny', '/models/tiny', '{"model_type":"qwen2"}');
