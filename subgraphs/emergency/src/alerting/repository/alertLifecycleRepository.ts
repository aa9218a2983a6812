// SQL of an alert's lifecycle: one step at a time (NEW → ACKNOWLEDGED →
// DISPOSED → CLOSED) under the alert's row lock, each step recorded as an
// event.
import type { Queryable } from '../../../../kit/src/db/Database.js';
import {
  ALERT_COLUMNS,
  type AlertRow,
  type AlertStatus,
} from '../../repository.js';
import type { AlertTransition } from '../alertLifecycle.js';

/** The current row of an alert, locked for the transaction; null if none. */
async function lockAlert(tx: Queryable, id: string): Promise<AlertRow | null> {
  const { rows } = await tx.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM emergency.alerts a WHERE a.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** The column that records when an alert reached `status`. */
function timestampColumn(status: AlertStatus): string {
  switch (status) {
    case 'ACKNOWLEDGED':
      return 'acknowledged_at';
    case 'DISPOSED':
      return 'disposed_at';
    case 'CLOSED':
      return 'closed_at';
    case 'NEW':
      throw new Error('no transition leads to NEW');
  }
}

/** One lifecycle step to apply. */
export interface TransitionInput {
  readonly alertId: string;
  /**
   * Decides the step from the alert's current status, under the row lock;
   * throws (CONFLICT) when the lifecycle does not allow it.
   */
  readonly plan: (status: AlertStatus) => AlertTransition;
  readonly actor: string;
  readonly comment: string | null;
  readonly at: Date;
}

/**
 * Moves an alert one step along its lifecycle in one transaction: locks
 * it, lets `plan` decide from its current status (a refused step changes
 * nothing), sets the status and the step's timestamp and records the event.
 *
 * @returns the updated alert, or `null` when there is no such alert.
 */
export async function transitionAlert(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  input: TransitionInput,
): Promise<AlertRow | null> {
  return db.transaction(async (tx) => {
    const current = await lockAlert(tx, input.alertId);
    if (current === null) return null;
    const step = input.plan(current.status);
    const at = input.at.toISOString();
    const { rows } = await tx.query<AlertRow>(
      `UPDATE emergency.alerts a SET status = $2, ${timestampColumn(step.to)} = $3
        WHERE a.id = $1
        RETURNING ${ALERT_COLUMNS}`,
      [input.alertId, step.to, at],
    );
    await tx.query(
      `INSERT INTO emergency.alert_events (alert_id, from_status, to_status, actor, comment, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [input.alertId, step.from, step.to, input.actor, input.comment, at],
    );
    return rows[0] ?? null;
  });
}
