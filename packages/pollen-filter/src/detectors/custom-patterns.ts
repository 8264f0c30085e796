// Patterns added from config. They are checked before use: a pattern that could backtrack
// catastrophically (a quantified group containing a quantifier, or a backreference) is refused,
// because a log filter that hangs is a denial of service.
import type { CustomPattern, Detector, Span } from '../types.ts';

export class UnsafePatternError extends Error {
  constructor(name: string, reason: string) {
    super(`pollen-filter: custom pattern "${name}" refused: ${reason}`);
    this.name = 'UnsafePatternError';
  }
}

/**
 * A conservative static check of regex source: refuses a repeated group whose body repeats or
 * alternates (`(a+)+`, `(\w*)*`, `(a|aa)+`) and backreferences. Bounded single repetitions pass.
 */
export function unsafeReason(source: string): string | null {
  // For each open group: whether its body contains a repetition or an alternation.
  const stack: boolean[] = [];
  let inClass = false;
  let previousGroupAmbiguous = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const afterGroup = previousGroupAmbiguous;
    previousGroupAmbiguous = false;
    if (c === '\\') {
      if (!inClass && /[1-9k]/.test(source[i + 1] ?? '')) return 'backreferences can backtrack exponentially';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      stack.push(false);
    } else if (c === ')') {
      previousGroupAmbiguous = stack.pop() ?? false;
      if (previousGroupAmbiguous && stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === '|') {
      if (stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}/.test(source.slice(i, i + 24)))) {
      if (afterGroup)
        return 'a repeated group contains a repetition or alternation (catastrophic backtracking)';
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return null;
}

export function customPatternDetector(pattern: CustomPattern): Detector {
  const source = typeof pattern.pattern === 'string' ? pattern.pattern : pattern.pattern.source;
  const flags = typeof pattern.pattern === 'string' ? '' : pattern.pattern.flags;
  const reason = unsafeReason(source);
  if (reason !== null) throw new UnsafePatternError(pattern.name, reason);
  const re = new RegExp(source, flags.includes('g') ? flags : flags + 'g');
  const type = pattern.name;
  return {
    types: [type],
    detect(text: string, out: Span[]): void {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        out.push({ start: m.index, end: m.index + m[0].length, type });
      }
    },
  };
}
