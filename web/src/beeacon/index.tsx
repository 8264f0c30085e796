// Beeacon's screens, loaded on demand when someone opens /beeacon: the overview for everyone, and for
// administrators the log search, health reports and the state of Loki, Grafana and the configuration.
import type { ReactNode } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useViewer } from '../auth/session';
import { usePageTitle } from '../ui/page-title';
import { Empty } from '../ui/states';
import { BeeaconPage } from './BeeaconPage';
import { HealthReportPage } from './HealthReportPage';
import { IntegrationsPage } from './IntegrationsPage';
import { LogsPage } from './LogsPage';
import './beeacon.css';

function AdminOnly({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  if (viewer.role !== 'ADMIN') return <Empty title="Only administrators can open this page." />;
  return children;
}

export default function Beeacon() {
  usePageTitle('Beeacon');
  const viewer = useViewer();
  return (
    <section aria-labelledby="beeacon-title" className="stack">
      <h1 id="beeacon-title">Beeacon</h1>
      {viewer.role === 'ADMIN' && (
        <nav aria-label="Beeacon" className="subnav">
          <NavLink to="/beeacon" end>
            Overview
          </NavLink>
          <NavLink to="/beeacon/logs">Logs</NavLink>
          <NavLink to="/beeacon/reports">Health report</NavLink>
          <NavLink to="/beeacon/integrations">Integrations and rules</NavLink>
        </nav>
      )}
      <Routes>
        <Route index element={<BeeaconPage />} />
        <Route
          path="logs"
          element={
            <AdminOnly>
              <LogsPage />
            </AdminOnly>
          }
        />
        <Route
          path="reports"
          element={
            <AdminOnly>
              <HealthReportPage />
            </AdminOnly>
          }
        />
        <Route
          path="integrations"
          element={
            <AdminOnly>
              <IntegrationsPage />
            </AdminOnly>
          }
        />
        <Route path="*" element={<Empty title="There is nothing at this address." />} />
      </Routes>
    </section>
  );
}
