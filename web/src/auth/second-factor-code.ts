// What may be typed where a second factor is asked for: a six-digit code from an authenticator app, or one of
// the recovery codes. Apps show codes as "123 456"; the spaces are dropped before the code is sent. A recovery
// code is sent as written (trimmed): its format is the server's business.

export function normalizeCode(input: string): string {
  const trimmed = input.trim();
  return /^[\d\s]+$/.test(trimmed) ? trimmed.replace(/\s/g, '') : trimmed;
}

/** null when the input may be a code, else the reason it cannot be. */
export function codeProblem(input: string, { allowRecovery = true } = {}): string | null {
  const code = normalizeCode(input);
  if (!code) return 'Enter the code from your authenticator app.';
  if (/^\d+$/.test(code)) return code.length === 6 ? null : 'An authenticator code has 6 digits.';
  if (!allowRecovery) return 'An authenticator code has 6 digits.';
  return code.length >= 6 && code.length <= 64 ? null : 'That is neither a 6-digit code nor a recovery code.';
}
