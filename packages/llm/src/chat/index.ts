// Chat models: the interface, the three providers and createChatModel picking the one named by `bee.provider`.
export type {
  ChatChunk,
  ChatConfig,
  ChatLimits,
  ChatModel,
  ChatPassage,
  ChatProvider,
  ChatRequest,
  ChatTurn,
} from './types.ts';
export { CHAT_PROVIDERS } from './types.ts';
export { ChatModelError, isAbort, type ChatModelErrorKind } from './errors.ts';
export { createChatModel } from './create.ts';
export {
  EXTRACTIVE_MODEL,
  EXTRACTIVE_NOTHING,
  EXTRACTIVE_PREAMBLE,
  extractiveAnswer,
  terms,
} from './extractive.ts';
