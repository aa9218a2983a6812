-- Hot reload: every write to a policy table notifies channel
-- govgraph_policy once per statement, and PostgreSQL delivers the
-- notification only when the writing transaction commits (several
-- notifications of one transaction with the same payload arrive as one).
-- Every gateway's policy store LISTENs on the channel and reloads
-- (gateway/src/policyStore/createPolicyStore.ts). The payload names the
-- table written; the store reloads the whole policy whatever it says.
-- The kit's migration runner splits on every semicolon and has no $$ bodies,
-- so the PL/pgSQL body is an E'' string whose semicolons are written as the
-- octal escape \073 (and its inner quotes doubled).
CREATE FUNCTION policy.notify_policy_change() RETURNS trigger
  LANGUAGE plpgsql
  AS E'BEGIN PERFORM pg_notify(''govgraph_policy'', TG_TABLE_NAME)\073 RETURN NULL\073 END';

CREATE TRIGGER negative_list_entries_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.negative_list_entries
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();

CREATE TRIGGER grants_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.grants
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();

CREATE TRIGGER roles_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.roles
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();

CREATE TRIGGER role_rules_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.role_rules
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();

CREATE TRIGGER algorithm_bindings_notify
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy.algorithm_bindings
  FOR EACH STATEMENT EXECUTE FUNCTION policy.notify_policy_change();
