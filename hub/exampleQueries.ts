/**
 * The sample queries `npm start` prints and README.md shows. A test runs
 * each against the seeded hub and checks that README.md quotes them as they
 * are here.
 */
export interface ExampleQuery {
  title: string;
  query: string;
}

export const exampleQueries: readonly ExampleQuery[] = [
  {
    title:
      '蒲河寨溪大桥: dissolved oxygen below standard 3 days running, the two upstream wastewater plants and their market records',
    query: `
query DissolvedOxygenBreach {
  monitoringSection(id: "MS-PUHE-ZHAIXI") {
    name
    river { name }
    region { fullName }
    readings(
      parameter: DISSOLVED_OXYGEN
      since: "2025-08-11T00:00:00+08:00"
      until: "2025-08-15T00:00:00+08:00"
    ) {
      nodes { measuredAt value unit breachesStandard }
    }
    suspectedSources {
      nodes {
        distanceKm
        source {
          name
          kind
          enterprise {
            name
            creditGrade
            licence { number }
            violations(first: 2) { totalCount nodes { occurredOn category } }
          }
        }
      }
    }
    alerts { nodes { title level status notifiedParties } }
  }
}`,
  },
  {
    title:
      "较场口 night market: the complaint, the merchants' licences and violations, the nearest enforcement squad",
    query: `
query NightMarketComplaint {
  complaint(id: "C-20250915-JCK") {
    summary
    receivedAt
    region { fullName }
    merchants {
      nodes {
        name
        licence { number validUntil }
        violations { totalCount nodes { occurredOn category penalty } }
      }
    }
    nearestSquads { distanceMeters squad { name dutyPhone } }
    status
    resolvedAt
  }
}`,
  },
];
