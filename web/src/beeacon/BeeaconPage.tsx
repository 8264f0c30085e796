// Beeacon's overview: the platform's health per component and over the last 24 hours, alerts arriving live, and
// what the Pollen Filter has redacted. Components, history, alerts and Pollen statistics are for administrators;
// everyone sees the overall status.
import { useViewer } from '../auth/session';
import { AlertsPanel } from './AlertsPanel';
import { PollenPanel } from './PollenPanel';
import { StatusPanel } from './StatusPanel';

export function BeeaconPage() {
  const viewer = useViewer();
  return (
    <div className="stack">
      <StatusPanel />
      {viewer.role === 'ADMIN' ? (
        <>
          <AlertsPanel />
          <PollenPanel />
        </>
      ) : (
        <p className="muted">Alerts and Pollen Filter statistics are shown to administrators.</p>
      )}
    </div>
  );
}
