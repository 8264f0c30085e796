// The platform's password rule, checked before the request so a person learns it at once (the server checks it
// again and has the last word).
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** null when `password` may be set (and `confirmation` repeats it), else what is wrong. */
export function newPasswordProblem(password: string, confirmation: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The new password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `The new password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (password !== confirmation) return 'The two new passwords differ.';
  return null;
}

/** The token of a reset link (`/reset-password#token=…`): in the fragment, so it never reaches a server log. */
export function tokenFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') || null;
}
