// A conversation's title and the buttons beside it. Rename turns the title into a form: Save title keeps the new
// one, Cancel or Escape drops it. Focus moves into the title field when the form opens and back to Rename when it
// closes, so a keyboard user is never left on the page body.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';

export function ConversationTitle({
  title,
  save,
  onCancel,
  children,
}: {
  title: string;
  /** Whether the title was saved: the form stays open with what was typed when it was not. */
  save(title: string): Promise<boolean>;
  onCancel(): void;
  children: ReactNode;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const editing = draft !== null;
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) field.current?.focus();
    else if (wasEditing.current) renameButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  function cancel() {
    setDraft(null);
    onCancel();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (draft !== null && (await save(draft.trim()))) setDraft(null);
  }

  return (
    <header className="page-header">
      {draft === null ? (
        <h2>{title}</h2>
      ) : (
        <form
          onSubmit={(e) => void submit(e)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancel();
          }}
        >
          <label>
            Title
            <input
              ref={field}
              value={draft}
              maxLength={200}
              onChange={(e) => setDraft(e.target.value)}
              required
            />
          </label>
          <button type="submit">Save title</button>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </form>
      )}
      <div className="actions">
        <button ref={renameButton} type="button" onClick={() => setDraft(title)}>
          Rename
        </button>
        {children}
      </div>
    </header>
  );
}
