import { Typography } from 'antd';

/**
 * The city's districts as a grid (no map tiles): each cell a district with
 * the count of matching items in it, shaded by the count; a click filters
 * by the district, another clears it.
 */
export function DistrictMap({
  districts,
  counts,
  selected,
  onSelect,
}: {
  districts: readonly { code: string; name: string }[];
  counts: ReadonlyMap<string, number>;
  selected: string | null;
  onSelect: (code: string | null) => void;
}) {
  const max = Math.max(1, ...counts.values());
  return (
    <div>
      <Typography.Title level={5}>区县分布</Typography.Title>
      <div className="district-grid" data-testid="district-map">
        {districts.map((d) => {
          const count = counts.get(d.code) ?? 0;
          const alpha = count === 0 ? 0 : 0.15 + 0.6 * (count / max);
          return (
            <button
              type="button"
              key={d.code}
              className="district-cell"
              data-testid={`district-${d.code}`}
              data-count={count}
              data-selected={String(selected === d.code)}
              aria-pressed={selected === d.code}
              style={{ background: `rgba(22, 119, 255, ${String(alpha)})` }}
              onClick={() => onSelect(selected === d.code ? null : d.code)}
            >
              <div>{d.name}</div>
              <strong>{count}</strong>
            </button>
          );
        })}
      </div>
    </div>
  );
}
