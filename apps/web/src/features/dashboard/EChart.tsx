/**
 * One ECharts instance in a div. ECharts comes in through `echarts/core` with only the charts
 * and components the dashboard uses registered, and this module is loaded lazily, so the first
 * page never carries it.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart-options';

echarts.use([
  FunnelChart,
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export default function EChart({
  option,
  height,
  testId,
  ariaLabel,
}: {
  option: ChartOption;
  height: number;
  testId?: string;
  ariaLabel?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={element}
      style={{ height, width: '100%' }}
      data-testid={testId}
      role="img"
      aria-label={ariaLabel}
    />
  );
}
