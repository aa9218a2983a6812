-- Alerting: what an alert was raised from (the rule, the readings that
-- crossed it, the suspected upstream sources), its lifecycle timestamps and
-- history, and where it was delivered (inboxes and signed webhooks).
--
-- Alerts raised by hand or seeded keep the defaults: no rule, no readings,
-- no sources. `evaluation_key` names one breach of one threshold of one risk
-- item (see subgraphs/emergency/src/alerting/evaluationKey.ts): the unique
-- index makes raising idempotent, so re-running the evaluator never
-- duplicates an alert.
ALTER TABLE emergency.alerts
  ADD COLUMN rule jsonb,
  ADD COLUMN triggering_readings jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN suspected_sources jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN disposed_at timestamptz,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN evaluation_key text;
CREATE UNIQUE INDEX alerts_evaluation_key_idx
  ON emergency.alerts (evaluation_key);

-- The lifecycle history, oldest first: `from_status` is null for the event
-- that raised the alert.
CREATE TABLE emergency.alert_events (
  id bigserial PRIMARY KEY,
  alert_id text NOT NULL REFERENCES emergency.alerts (id) ON DELETE CASCADE,
  from_status text
    CHECK (from_status IN ('NEW', 'ACKNOWLEDGED', 'DISPOSED', 'CLOSED')),
  to_status text NOT NULL
    CHECK (to_status IN ('NEW', 'ACKNOWLEDGED', 'DISPOSED', 'CLOSED')),
  actor text NOT NULL,
  comment text,
  at timestamptz NOT NULL
);
CREATE INDEX alert_events_alert_idx ON emergency.alert_events (alert_id, id);

-- Webhooks a department registered: alerts delivered to the department in
-- a region under `region_code` are POSTed to `url`, signed with `secret`
-- (HMAC-SHA256; the secret is needed to sign, so it is kept, and shown to
-- the registering caller once). A removed webhook keeps its row for the
-- deliveries that name it.
CREATE TABLE emergency.alert_webhooks (
  id text PRIMARY KEY,
  department text NOT NULL,
  region_code text NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  removed_at timestamptz
);
CREATE INDEX alert_webhooks_department_idx
  ON emergency.alert_webhooks (department) WHERE removed_at IS NULL;

-- One row per recipient of an alert. INBOX rows are delivered when written;
-- WEBHOOK rows are PENDING until the webhook answered 2xx (DELIVERED) or
-- every attempt failed (DEAD, a dead letter). `generation` counts the
-- rounds of attempts (redeliverAlert starts a new one); `enqueued_generation`
-- is the last round a job was queued for, so the relay queues each round
-- once. `attempts` counts every attempt of every round.
CREATE TABLE emergency.alert_deliveries (
  id text PRIMARY KEY,
  alert_id text NOT NULL REFERENCES emergency.alerts (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('INBOX', 'WEBHOOK')),
  -- department:<dept>:<region>, person:<id> or the webhook id
  recipient text NOT NULL,
  -- The recipient department (INBOX to a department, and WEBHOOK) and the
  -- region it receives for.
  department text,
  region_code text,
  -- The recipient person (INBOX to a person).
  person_id text,
  webhook_id text REFERENCES emergency.alert_webhooks (id),
  status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0,
  generation integer NOT NULL DEFAULT 1,
  enqueued_generation integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  dead_at timestamptz,
  UNIQUE (alert_id, channel, recipient)
);
CREATE INDEX alert_deliveries_department_idx
  ON emergency.alert_deliveries (department, region_code text_pattern_ops);
CREATE INDEX alert_deliveries_person_idx
  ON emergency.alert_deliveries (person_id);
CREATE INDEX alert_deliveries_pending_idx
  ON emergency.alert_deliveries (id)
  WHERE channel = 'WEBHOOK' AND status = 'PENDING';
CREATE INDEX alert_deliveries_dead_idx
  ON emergency.alert_deliveries (webhook_id)
  WHERE status = 'DEAD';
