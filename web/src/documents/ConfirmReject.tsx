// Rejecting a proposed document deletes it, so it is asked about first, as every delete is.
import { ConfirmAction, type ItemAction } from '../ui/ItemAction';

export function ConfirmReject<T extends { title: string }>({
  action,
  run,
}: {
  action: ItemAction<T>;
  run(item: T): Promise<unknown>;
}) {
  return (
    <ConfirmAction
      action={action}
      title={(doc) => `Reject “${doc.title}”?`}
      confirmLabel="Reject document"
      run={run}
    >
      <p>The proposed document is deleted; it is not read into the honey jar.</p>
    </ConfirmAction>
  );
}
