// An action on one item of a list, or on the thing a page shows (revoking a key, removing a passkey, ending a
// session, deleting a person or a jar): the item asked about, waiting for a confirmation; the item whose action
// runs, so its row's buttons can wait meanwhile; and why the last run failed. ConfirmAction is the confirmation
// that runs the action and shows its failure; ItemButton is a row's button, which names the item it acts on.
import { useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { ErrorNotice } from './ErrorNotice';
import { Modal } from './Modal';

export interface ItemAction<T> {
  /** The item whose action waits for a confirmation. */
  asking: T | null;
  /** The item whose action runs. */
  running: T | null;
  /** Why the last run failed; null when it did not. */
  error: unknown;
  /** Asks for a confirmation of the action on the item, without an earlier failure. */
  ask(item: T): void;
  cancel(): void;
  /** Runs the operation on the item: true when it succeeded, else false with the failure in `error`. */
  run(item: T, operation: (item: T) => Promise<unknown>): Promise<boolean>;
}

export function useItemAction<T>(): ItemAction<T> {
  const [asking, setAsking] = useState<T | null>(null);
  const [running, setRunning] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  return {
    asking,
    running,
    error,
    ask(item) {
      setError(null);
      setAsking(() => item);
    },
    cancel() {
      setAsking(null);
    },
    async run(item, operation) {
      setRunning(() => item);
      setError(null);
      try {
        await operation(item);
        return true;
      } catch (failure) {
        setError(failure);
        return false;
      } finally {
        setRunning(null);
      }
    },
  };
}

/**
 * The confirmation of a destructive action, a modal dialog (focus moves into it, Escape cancels): runs the action
 * on the item asked about and closes, or shows why it failed.
 */
export function ConfirmAction<T>({
  action,
  title,
  confirmLabel,
  run,
  children,
}: {
  action: ItemAction<T>;
  title(item: T): string;
  confirmLabel: string;
  run(item: T): Promise<unknown>;
  children?: ReactNode;
}) {
  const item = action.asking;
  return (
    <Modal open={item !== null} title={item === null ? '' : title(item)} onClose={action.cancel}>
      {children}
      {action.error !== null && <ErrorNotice error={action.error} />}
      <div className="actions">
        <button type="button" onClick={action.cancel}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={action.running !== null}
          onClick={async () => {
            if (item !== null && (await action.run(item, run))) action.cancel();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

/** A row's button: it shows the verb; its accessible name also names the item ("Revoke nightly export"). */
export function ItemButton({
  verb,
  name,
  ...button
}: { verb: string; name: string } & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'children'>) {
  return (
    <button type="button" aria-label={`${verb} ${name}`} {...button}>
      {verb}
    </button>
  );
}
