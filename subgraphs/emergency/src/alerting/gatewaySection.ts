// A monitoring section's name, place and upstream sources, read through the
// gateway, as an alert's message names them.
import type { SectionContext } from './composeAlert.js';
import type { PostGraphql } from './gatewayGraphql.js';
import type { SuspectedSourceRow } from './repository/rows.js';

const SECTION_QUERY = `query AlertSection($id: ID!) {
  monitoringSection(id: $id) {
    id name river { name }
    region { name kind parent { name } }
    suspectedSources(first: 20) {
      nodes { distanceKm source { id name enterprise { creditCode } } }
    }
  }
}`;

interface SectionField {
  id: string;
  name?: string | null;
  river?: { name?: string | null } | null;
  region?: {
    name?: string | null;
    kind?: string | null;
    parent?: { name?: string | null } | null;
  } | null;
  suspectedSources?: {
    nodes: {
      distanceKm: number;
      source: {
        id: string;
        name?: string | null;
        enterprise?: { creditCode?: string | null } | null;
      } | null;
    }[];
  } | null;
}

/** Name, place and upstream sources of a section; null if unknown. */
export async function readSectionContext(
  post: PostGraphql,
  sectionId: string,
): Promise<SectionContext | null> {
  const data = await post(SECTION_QUERY, { id: sectionId });
  const section = data['monitoringSection'] as SectionField | null;
  if (!section) return null;
  const sources: SuspectedSourceRow[] = (
    section.suspectedSources?.nodes ?? []
  ).flatMap((n) =>
    n.source
      ? [
          {
            sourceId: n.source.id,
            distanceKm: n.distanceKm,
            name: n.source.name ?? null,
            creditCode: n.source.enterprise?.creditCode ?? null,
          },
        ]
      : [],
  );
  return {
    id: section.id,
    name: sectionName(section.name, section.river?.name),
    streetName: section.region?.name ?? null,
    streetKind: section.region?.kind ?? null,
    districtName: section.region?.parent?.name ?? null,
    sources,
  };
}

/**
 * The name a warning gives a section: with its river and 断面, as in
 * 蒲河寨溪大桥断面, whether the section's own name has them or not.
 */
export function sectionName(
  name: string | null | undefined,
  river: string | null | undefined,
): string | null {
  if (!name) return null;
  const withRiver = river && !name.startsWith(river) ? `${river}${name}` : name;
  return withRiver.endsWith('断面') ? withRiver : `${withRiver}断面`;
}
