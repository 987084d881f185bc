// ECharts is loaded on the first chart drawn, not at start-up.
import type * as EChartsModule from 'echarts';

type ECharts = typeof EChartsModule;

/**
 * Pages forbid inline styles (Content-Security-Policy), so the chart's style attributes become
 * SVG presentation attributes and its hover-only stylesheet is dropped.
 */
export function cspSafe(svg: string): string {
  return svg.replace(/<style[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_m, css: string) =>
    css
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [k = '', ...v] = d.split(':');
        return ` ${k.trim()}="${v.join(':').trim()}"`;
      })
      .join(''),
  );
}

export interface TrendChart {
  title: string;
  years: number[];
  values: Array<number | null>;
  /** Target values per year (null where the plan sets none). */
  targets: Array<number | null>;
  valueLabel: string;
  targetLabel: string;
  unit: string;
  width?: number;
  height?: number;
}

/**
 * A line of the yearly values with the plan's targets as points, rendered to SVG on the server;
 * it takes the width of its box and keeps its proportions (viewBox).
 */
function trendSvg(echarts: ECharts, c: TrendChart): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: c.width ?? 320, height: c.height ?? 160 });
  try {
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: c.title } },
      grid: { left: 48, right: 12, top: 28, bottom: 26 },
      legend: { top: 0, right: 0, textStyle: { fontSize: 12, color: '#0b0c0c' }, itemWidth: 12, itemHeight: 8, data: [c.valueLabel, c.targetLabel] },
      xAxis: { type: 'category', data: c.years.map(String), axisLabel: { fontSize: 12, color: '#0b0c0c' } },
      yAxis: {
        type: 'value',
        axisLabel: { fontSize: 12, color: '#0b0c0c', formatter: `{value}${c.unit}` },
        splitLine: { lineStyle: { color: '#e5e5e5' } },
      },
      series: [
        {
          name: c.valueLabel,
          type: 'line',
          data: c.values,
          connectNulls: true,
          symbolSize: 6,
          lineStyle: { color: '#1d70b8', width: 2 },
          itemStyle: { color: '#1d70b8' },
        },
        { name: c.targetLabel, type: 'scatter', data: c.targets, symbol: 'diamond', symbolSize: 10, itemStyle: { color: '#d4351c' } },
      ],
    });
    return cspSafe(chart.renderToSVGString()).replace(/^<svg width="\d+" height="\d+"/, '<svg width="100%"');
  } finally {
    chart.dispose();
  }
}

export interface BarChart {
  title: string;
  labels: string[];
  values: Array<number | null>;
  unit: string;
  width?: number;
}

/** Horizontal bars, one per unit or type, for drilling down. */
function barsSvg(echarts: ECharts, c: BarChart): string {
  const height = Math.max(120, 28 * c.labels.length + 40);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: c.width ?? 640, height });
  try {
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: c.title } },
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', axisLabel: { fontSize: 10, color: '#0b0c0c', formatter: `{value}${c.unit}` } },
      yAxis: { type: 'category', inverse: true, data: c.labels, axisLabel: { fontSize: 11, color: '#0b0c0c', width: 200, overflow: 'truncate' } },
      series: [
        { type: 'bar', data: c.values, itemStyle: { color: '#1d70b8' }, label: { show: true, position: 'right', fontSize: 10, color: '#0b0c0c' } },
      ],
    });
    return cspSafe(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** Draws charts once ECharts is loaded; pages receive one from the route that renders them. */
export interface ChartRenderer {
  trend(c: TrendChart): string;
  bars(c: BarChart): string;
}

let loading: Promise<ChartRenderer> | undefined;

/** Loads ECharts on first use and keeps it; a failed load is retried on the next call. */
export function chartRenderer(): Promise<ChartRenderer> {
  loading ??= import('echarts').then(
    (echarts) => ({
      trend: (c: TrendChart) => trendSvg(echarts, c),
      bars: (c: BarChart) => barsSvg(echarts, c),
    }),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
