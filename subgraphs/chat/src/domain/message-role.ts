// Who wrote a message; the same names are the GraphQL enum values and the stored column values.
export const MessageRoles = ['USER', 'ASSISTANT', 'SYSTEM'] as const;
export type MessageRole = (typeof MessageRoles)[number];

/** How far an answer got: STREAMING while Bee writes it, then COMPLETE, FAILED or CANCELLED (kept as far as it got). */
export const MessageStatuses = ['STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED'] as const;
export type MessageStatus = (typeof MessageStatuses)[number];
