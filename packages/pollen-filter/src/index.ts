// @sting/pollen-filter: PII and secret redaction for log records and lines.
export { PollenFilter, createPollenFilter, REDACTION_FAILED } from './filter.ts';
export { UnsafePatternError } from './detectors/custom-patterns.ts';
export { BUILT_IN_TYPES, REDACTION_MODES } from './types.ts';
export type {
  BuiltInType,
  CustomPattern,
  PollenFilterOptions,
  PollenFilterStats,
  RedactionMode,
  Span,
} from './types.ts';
