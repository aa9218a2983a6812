/**
 * How often each department updates its data, as the owners declared it
 * for the data directory, by GraphQL type. Types not listed are updated on
 * change (`ON_CHANGE`).
 */
export const UPDATE_FREQUENCY: Readonly<Record<string, string>> = {
  Reading: 'DAILY',
  DischargeRecord: 'DAILY',
  FlowReading: 'DAILY',
  CrowdObservation: 'HOURLY',
  CongestionPoint: 'HOURLY',
  Alert: 'REAL_TIME',
  AlertReading: 'REAL_TIME',
  AlertSuspectedSource: 'REAL_TIME',
  AlertEvent: 'REAL_TIME',
  AlertDelivery: 'REAL_TIME',
  PollutionIncident: 'REAL_TIME',
  Complaint: 'REAL_TIME',
  Inspection: 'DAILY',
  RiskItem: 'MONTHLY',
  RiskCategory: 'YEARLY',
  Region: 'YEARLY',
  River: 'YEARLY',
  Enterprise: 'ON_CHANGE',
  Person: 'ON_CHANGE',
};

/** The declared update frequency of a field (by its type). */
export function updateFrequencyOf(coordinate: string): string {
  const typeName = coordinate.slice(0, coordinate.indexOf('.'));
  return Object.hasOwn(UPDATE_FREQUENCY, typeName)
    ? (UPDATE_FREQUENCY[typeName] ?? 'ON_CHANGE')
    : 'ON_CHANGE';
}
