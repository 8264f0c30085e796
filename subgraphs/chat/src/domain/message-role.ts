// Who wrote a message; the same names are the GraphQL enum values and the stored column values.
export const MessageRoles = ['USER', 'ASSISTANT', 'SYSTEM'] as const;
export type MessageRole = (typeof MessageRoles)[number];
