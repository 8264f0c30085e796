// The rules a honey jar's fields must satisfy. Each failure is a BAD_USER_INPUT naming the offending field.
import { BadUserInputError, refuseDeceptiveCharacters } from '@sting/kit';
import {
  HoneyJarStatuses,
  HoneyJarTypes,
  type HoneyJarStatus,
  type HoneyJarType,
} from '../entities/honey-jar.ts';

export const LIMITS = { name: 120, description: 2000, tags: 20, tag: 40 } as const;

/** kit's one id validator. */
export { isId, requireId } from '@sting/kit';

export function validName(name: string): string {
  const trimmed = name.trim();
  refuseDeceptiveCharacters(trimmed, 'name', 'Name');
  if (trimmed.length < 1 || trimmed.length > LIMITS.name) {
    throw new BadUserInputError(`Name must be 1 to ${LIMITS.name} characters`, 'name');
  }
  return trimmed;
}

export function validDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  if (description.length > LIMITS.description) {
    throw new BadUserInputError(
      `Description must be at most ${LIMITS.description} characters`,
      'description',
    );
  }
  return description;
}

/** Trims each tag and drops repeats (keeping the first spelling), then checks count and length. */
export function validTags(tags: readonly string[] | null | undefined): string[] {
  const unique = [...new Set((tags ?? []).map((t) => t.trim()))];
  if (unique.length > LIMITS.tags) throw new BadUserInputError(`At most ${LIMITS.tags} tags`, 'tags');
  for (const tag of unique) refuseDeceptiveCharacters(tag, 'tags', 'A tag');
  if (unique.some((t) => t.length < 1 || t.length > LIMITS.tag)) {
    throw new BadUserInputError(`Each tag must be 1 to ${LIMITS.tag} characters`, 'tags');
  }
  return unique;
}

export function validType(type: string): HoneyJarType {
  if (!(HoneyJarTypes as readonly string[]).includes(type))
    throw new BadUserInputError('Unknown type', 'type');
  return type as HoneyJarType;
}

export function validStatus(status: string): HoneyJarStatus {
  if (!(HoneyJarStatuses as readonly string[]).includes(status))
    throw new BadUserInputError('Unknown status', 'status');
  return status as HoneyJarStatus;
}
