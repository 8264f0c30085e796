// The new password, typed twice: the same two fields wherever a password is set.
export function NewPasswordFields(props: {
  password: string;
  confirmation: string;
  onPassword(value: string): void;
  onConfirmation(value: string): void;
}) {
  return (
    <>
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
        />
      </label>
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
