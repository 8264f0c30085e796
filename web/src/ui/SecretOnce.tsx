// A secret shown once (a new API key, a password-reset link): the text to copy, a copy button that says when it
// worked, and Done, after which the app no longer has it.
import { useState, type ReactNode } from 'react';

export function SecretOnce(props: {
  /** Names the region for assistive technology. */
  label: string;
  secret: string;
  /** What the copy button copies, e.g. "key" → "Copy key". */
  what: string;
  children: ReactNode;
  onDone(): void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice stack" role="region" aria-label={props.label}>
      {props.children}
      <p>
        <code className="secret">{props.secret}</code>
      </p>
      <div className="actions">
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(props.secret);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : `Copy ${props.what}`}
        </button>
        <button type="button" className="primary" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
