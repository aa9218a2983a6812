/**
 * Whether a coordinate is paging plumbing (a connection's page info,
 * cursors, counts, edges): read with every list, never data of its own.
 */
export function isPlumbing(coordinate: string): boolean {
  const [type = '', field = ''] = coordinate.split('.');
  return (
    type === 'PageInfo' ||
    type.endsWith('Edge') ||
    (type.endsWith('Connection') &&
      ['pageInfo', 'totalCount', 'edges', 'nodes'].includes(field))
  );
}
