-- Webhook delivery failures as the alert's readers see them: a state, never
-- the network error. `last_error` held the raw error ("connect ECONNREFUSED
-- 127.0.0.1:5432", "webhook answered HTTP 401"), readable by every reader of
-- the alert: a port scanner from inside the hub. The error now goes to the
-- operators' log only; the row keeps why the last attempt failed:
-- TARGET_NOT_ALLOWED (the address is not an allowed delivery target, nothing
-- was sent; see subgraphs/emergency/src/alerting/webhookTargets.ts) or
-- DELIVERY_FAILED (no 2xx answer). The errors already stored are dropped.
ALTER TABLE emergency.alert_deliveries
  ADD COLUMN failure text
    CHECK (failure IN ('TARGET_NOT_ALLOWED', 'DELIVERY_FAILED'));
UPDATE emergency.alert_deliveries
   SET failure = 'DELIVERY_FAILED'
 WHERE last_error IS NOT NULL;
ALTER TABLE emergency.alert_deliveries DROP COLUMN last_error;
