/** One bar: its label and value, and an optional note after the value. */
export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly note?: string;
}

const BAR_HEIGHT = 22;
const GAP = 6;
const WIDTH = 480;

/** Roughly how wide `text` is at 12 px: a CJK character 12 px, others 7 px. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\uffff]/.test(ch) ? 12 : 7;
  return width;
}

/** `text` cut with an ellipsis to fit `room` pixels at 12 px. */
function fit(text: string, room: number): string {
  if (textWidth(text) <= room) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`) > room) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Horizontal bars drawn as SVG by React: no chart library, nothing
 * evaluated or fetched at run time (the page's CSP), a few hundred bytes in
 * the build. Long labels are cut with an ellipsis; the full label is the
 * bar's tooltip.
 */
export function BarChart({
  bars,
  testid,
  label,
  labelWidth = 150,
}: {
  bars: readonly Bar[];
  testid: string;
  /** What the chart shows, for screen readers. */
  label: string;
  labelWidth?: number;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - labelWidth - 130;
  return (
    <svg
      data-testid={testid}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${String(WIDTH)} ${String(Math.max(1, bars.length) * (BAR_HEIGHT + GAP))}`}
      className="bar-chart"
    >
      {bars.map((bar, i) => {
        const y = i * (BAR_HEIGHT + GAP);
        const w = (room * bar.value) / max;
        const shown = fit(bar.label, labelWidth - 8);
        return (
          <g key={bar.key} data-testid={`${testid}-bar`} data-key={bar.key}>
            <title>{`${bar.label}：${String(bar.value)}${bar.note === undefined ? '' : ` ${bar.note}`}`}</title>
            <text x={0} y={y + 16} fontSize={12}>
              {shown}
            </text>
            <rect
              x={labelWidth}
              y={y}
              width={Math.max(w, 1)}
              height={BAR_HEIGHT}
              fill="#1677ff"
            />
            <text x={labelWidth + w + 4} y={y + 16} fontSize={12}>
              {bar.value}
              {bar.note === undefined ? '' : ` ${bar.note}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
