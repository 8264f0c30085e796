import { useId } from 'react';
import { MIN_PASSWORD_LENGTH } from './password-rules';

// The new password, typed twice: the same two fields wherever a password is set, with the rules it must meet.
export function NewPasswordFields(props: {
  password: string;
  confirmation: string;
  onPassword(value: string): void;
  onConfirmation(value: string): void;
}) {
  const rules = useId();
  return (
    <>
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          aria-describedby={rules}
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
        />
      </label>
      <p id={rules} className="muted">
        At least {MIN_PASSWORD_LENGTH} characters; a few words strung together make a good one. A common word
        (with or without digits), a run like 123456789012 or your own name or email is refused.
      </p>
      <label>
        Repeat the new password
        <input
          type="password"
          autoComplete="new-password"
          value={props.confirmation}
          onChange={(e) => props.onConfirmation(e.target.value)}
        />
      </label>
    </>
  );
}
