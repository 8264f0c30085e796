// Every entity the chat subgraph persists (schema `chat`).
export * from './conversation.ts';
