// The classifications the demo city's data officers gave the fields of the
// supergraph (on top of the class: tags in the subgraphs' SDL), by the
// national grading of government data: public reference data, general,
// important (重要数据), commercially sensitive, personal, aggregate. Two
// market fields are left unreviewed, as if added in the latest release, so
// that the governance API has something to flag to their owner.
import type { FieldClassificationItem } from '../../../policies/store/src/policy/index.js';
import { readFieldCatalog } from '../../../policies/src/index.js';

/** Fields no data officer has classified yet in the demo. */
export const DEMO_UNCLASSIFIED: readonly string[] = [
  'Enterprise.creditGrade',
  'Enterprise.establishedOn',
];

/** Types whose every field is public reference data. */
const PUBLIC_TYPES = new Set([
  'Region',
  'RegionConnection',
  'RiskCategory',
  'RiskCategoryConnection',
  'RiskThreshold',
  'River',
  'RiverConnection',
]);

/** Types shared only in aggregate (scenario 3). */
const AGGREGATE_TYPES = new Set([
  'CrowdArea',
  'CrowdAreaConnection',
  'CrowdObservation',
  'CrowdObservationConnection',
  'CongestionPoint',
]);

/** Fields graded important data (重要数据). */
const IMPORTANT = new Set([
  'RiskItem.address',
  'RiskItem.latitude',
  'RiskItem.longitude',
  'DrinkingWaterIntake.riverKm',
  'DrinkingWaterIntake.populationServed',
  'DrinkingWaterIntake.latitude',
  'DrinkingWaterIntake.longitude',
]);

/** Fields that point at a person: personal information in another department. */
const PERSON_LINKS = new Set([
  'Enterprise.legalRepresentative',
  'RiskItem.responsiblePerson',
  'Complaint.complainant',
]);

function tagsOf(coordinate: string): string[] {
  const typeName = coordinate.slice(0, coordinate.indexOf('.'));
  if (IMPORTANT.has(coordinate)) return ['IMPORTANT'];
  if (PERSON_LINKS.has(coordinate)) return ['PERSONAL'];
  if (
    typeName === 'DischargeRecord' ||
    coordinate === 'Enterprise.registeredCapitalWan'
  ) {
    return ['BUSINESS_SENSITIVE'];
  }
  if (PUBLIC_TYPES.has(typeName)) return ['PUBLIC'];
  if (AGGREGATE_TYPES.has(typeName)) return ['AGGREGATE'];
  return ['GENERAL'];
}

/**
 * The stored classification of every field of a supergraph that its SDL
 * does not classify, except {@link DEMO_UNCLASSIFIED}.
 */
export function demoClassifications(
  supergraphSdl: string,
): FieldClassificationItem[] {
  const items: FieldClassificationItem[] = [];
  for (const [coordinate, entry] of readFieldCatalog(supergraphSdl)) {
    if (entry.tags.some((t) => t.startsWith('class:'))) continue;
    if (DEMO_UNCLASSIFIED.includes(coordinate)) continue;
    items.push({ coordinate, tags: tagsOf(coordinate) });
  }
  return items.sort((a, b) => (a.coordinate < b.coordinate ? -1 : 1));
}
