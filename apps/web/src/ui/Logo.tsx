import { FunnelPlotFilled } from '@ant-design/icons';

export function Logo({ light = false }: { light?: boolean }) {
  return (
    <span className="logo" style={{ color: light ? '#fff' : '#1668dc' }}>
      <FunnelPlotFilled /> Funnel
    </span>
  );
}
