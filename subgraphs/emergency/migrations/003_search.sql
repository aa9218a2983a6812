-- Search: the responsible department of a risk category, and the
-- transactional outbox that carries every change of a searchable row to the
-- search index (search/src/pipeline). Triggers write the outbox in the
-- transaction of the change, so a committed change is never missed.
--
-- The triggers are statement-level with transition tables: one INSERT … SELECT
-- per statement, however many rows it touched, so bulk seeding stays fast.
-- PostgreSQL allows a transition table only on a single-event trigger, hence
-- one trigger per event.
--
-- The migration runner splits scripts on semicolons, so the function bodies
-- are E'' strings that write each statement's semicolon as \073.

-- 责任部门 of a category, from its domain.
ALTER TABLE emergency.risk_categories
  ADD COLUMN responsible_department text GENERATED ALWAYS AS (
    CASE domain
      WHEN '自然灾害' THEN '规划自然资源局'
      WHEN '安全生产' THEN '应急管理局'
      WHEN '城市运行' THEN '城市管理局'
      WHEN '生态环境' THEN '生态环境局'
      WHEN '公共卫生' THEN '卫生健康委'
      WHEN '社会安全' THEN '公安分局'
    END
  ) STORED;

-- One row per changed document: `collection` is the search collection
-- (risk-items, alerts), `doc_id` the document's id, or `*` for "rebuild the
-- whole collection" (after a TRUNCATE). The relay sets `enqueued_at` (and
-- `retry_at`, when to enqueue again if still unprocessed) once a job carries
-- the row; the indexer sets `processed_at` once the index holds the change.
CREATE TABLE emergency.search_outbox (
  id bigserial PRIMARY KEY,
  collection text NOT NULL,
  doc_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  enqueued_at timestamptz,
  retry_at timestamptz,
  processed_at timestamptz,
  -- How many jobs have carried the row.
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
-- The relay's scan: unprocessed rows in id order.
CREATE INDEX search_outbox_pending_idx
  ON emergency.search_outbox (id) WHERE processed_at IS NULL;

-- Wakes the relay (LISTEN emergency_search_outbox); polling covers a
-- missed notification. NOTIFY folds identical ones within a transaction.
CREATE FUNCTION emergency.search_outbox_notify() RETURNS void
LANGUAGE sql AS E' SELECT pg_notify(''emergency_search_outbox'', '''') ';

-- Risk items: the item's document; when its name or category changes, also
-- the documents of its alerts (riskItemName, categoryCode,
-- responsibleDepartment).
CREATE FUNCTION emergency.search_outbox_risk_items() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''risk-items'', n.id FROM new_rows n\073
  ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''risk-items'', o.id FROM old_rows o\073
  ELSE
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''risk-items'', id FROM (
      SELECT n.id FROM new_rows n UNION SELECT o.id FROM old_rows o
    ) changed\073
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT DISTINCT ''alerts'', a.id
      FROM new_rows n
      JOIN old_rows o ON o.id = n.id
      JOIN emergency.alerts a ON a.risk_item_id = n.id
     WHERE n.name IS DISTINCT FROM o.name
        OR n.category_code IS DISTINCT FROM o.category_code\073
  END IF\073
  PERFORM emergency.search_outbox_notify()\073
  RETURN NULL\073
END ';

CREATE TRIGGER search_outbox_insert AFTER INSERT ON emergency.risk_items
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_risk_items();
CREATE TRIGGER search_outbox_update AFTER UPDATE ON emergency.risk_items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_risk_items();
CREATE TRIGGER search_outbox_delete AFTER DELETE ON emergency.risk_items
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_risk_items();

-- Alerts: the alert's document, and its risk item's (whose status is
-- ALERTING while it has a NEW or ACKNOWLEDGED alert). An update touches the
-- item only when the alert's status or item changed.
CREATE FUNCTION emergency.search_outbox_alerts() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''alerts'', n.id FROM new_rows n\073
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT DISTINCT ''risk-items'', n.risk_item_id FROM new_rows n\073
  ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''alerts'', o.id FROM old_rows o\073
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT DISTINCT ''risk-items'', o.risk_item_id FROM old_rows o\073
  ELSE
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''alerts'', id FROM (
      SELECT n.id FROM new_rows n UNION SELECT o.id FROM old_rows o
    ) changed\073
    INSERT INTO emergency.search_outbox (collection, doc_id)
    SELECT ''risk-items'', item FROM (
      SELECT n.risk_item_id AS item
        FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
       WHERE o.id IS NULL
          OR n.status IS DISTINCT FROM o.status
          OR n.risk_item_id IS DISTINCT FROM o.risk_item_id
      UNION
      SELECT o.risk_item_id
        FROM old_rows o LEFT JOIN new_rows n ON n.id = o.id
       WHERE n.id IS NULL
          OR n.status IS DISTINCT FROM o.status
          OR n.risk_item_id IS DISTINCT FROM o.risk_item_id
    ) changed\073
  END IF\073
  PERFORM emergency.search_outbox_notify()\073
  RETURN NULL\073
END ';

CREATE TRIGGER search_outbox_insert AFTER INSERT ON emergency.alerts
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_alerts();
CREATE TRIGGER search_outbox_update AFTER UPDATE ON emergency.alerts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_alerts();
CREATE TRIGGER search_outbox_delete AFTER DELETE ON emergency.alerts
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_alerts();

-- Categories: a new name (categoryName) or domain (responsibleDepartment)
-- changes the documents of its items; a new domain also their alerts'.
CREATE FUNCTION emergency.search_outbox_risk_categories() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO emergency.search_outbox (collection, doc_id)
  SELECT ''risk-items'', r.id
    FROM new_rows n
    JOIN old_rows o ON o.code = n.code
    JOIN emergency.risk_items r ON r.category_code = n.code
   WHERE n.name IS DISTINCT FROM o.name OR n.domain IS DISTINCT FROM o.domain\073
  INSERT INTO emergency.search_outbox (collection, doc_id)
  SELECT ''alerts'', a.id
    FROM new_rows n
    JOIN old_rows o ON o.code = n.code
    JOIN emergency.risk_items r ON r.category_code = n.code
    JOIN emergency.alerts a ON a.risk_item_id = r.id
   WHERE n.domain IS DISTINCT FROM o.domain\073
  PERFORM emergency.search_outbox_notify()\073
  RETURN NULL\073
END ';

CREATE TRIGGER search_outbox_update AFTER UPDATE ON emergency.risk_categories
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION emergency.search_outbox_risk_categories();

-- TRUNCATE (a reseed with --reset) fires no row events: ask for a rebuild of
-- the collections instead. Emptying the outbox in the same statement is fine:
-- AFTER TRUNCATE triggers run once every table is empty.
CREATE FUNCTION emergency.search_outbox_truncate() RETURNS trigger
LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO emergency.search_outbox (collection, doc_id)
  SELECT c, ''*'' FROM unnest(TG_ARGV) AS c\073
  PERFORM emergency.search_outbox_notify()\073
  RETURN NULL\073
END ';

CREATE TRIGGER search_outbox_truncate AFTER TRUNCATE ON emergency.risk_items
  FOR EACH STATEMENT
  EXECUTE FUNCTION emergency.search_outbox_truncate('risk-items', 'alerts');
CREATE TRIGGER search_outbox_truncate AFTER TRUNCATE ON emergency.alerts
  FOR EACH STATEMENT
  EXECUTE FUNCTION emergency.search_outbox_truncate('risk-items', 'alerts');
