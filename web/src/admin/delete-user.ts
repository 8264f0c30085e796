// What deleting a person needs to know about their honey jars: transfer them to someone else, or delete them.

import type { PickedPerson } from '../people/person';

export interface DeleteUserChoice {
  honeyJars: 'TRANSFER' | 'DELETE';
  transferTo: PickedPerson | null;
}

/** The deleteUser input for the choice, or what is still missing. */
export function deleteUserInput(
  userId: string,
  choice: DeleteUserChoice,
): { input: { id: string; honeyJars: 'TRANSFER' | 'DELETE'; transferTo?: string } } | { problem: string } {
  if (choice.honeyJars === 'DELETE') return { input: { id: userId, honeyJars: 'DELETE' } };
  if (!choice.transferTo) return { problem: 'Pick the person who receives the honey jars.' };
  if (choice.transferTo.id === userId)
    return { problem: 'Pick someone other than the person being deleted.' };
  return { input: { id: userId, honeyJars: 'TRANSFER', transferTo: choice.transferTo.id } };
}
