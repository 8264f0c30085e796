// The one error chat models reject with (besides AbortError). Its message is for logs only: what reaches a
// person is the kind, mapped to a typed error by the answer flow, never a provider's raw response or key.

export type ChatModelErrorKind = 'timeout' | 'unavailable' | 'refused' | 'bad_response';

export class ChatModelError extends Error {
  override readonly name = 'ChatModelError';
  readonly provider: string;
  readonly kind: ChatModelErrorKind;
  /** True when repeating the same call may succeed (connection trouble, 5xx, 429, a timeout). */
  readonly retryable: boolean;
  constructor(
    provider: string,
    kind: ChatModelErrorKind,
    message: string,
    options?: { retryable?: boolean; cause?: unknown },
  ) {
    super(`${provider} chat: ${message}`, options);
    this.provider = provider;
    this.kind = kind;
    this.retryable = options?.retryable ?? (kind === 'timeout' || kind === 'unavailable');
  }
}

/** Whether `err` is the cancellation of `signal` (not a failure to report). */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (err as { name?: string } | null)?.name === 'AbortError';
}
