// How jar types and statuses read in the UI, and the badge tone each gets.
import type { HoneyJarStatus, HoneyJarType } from '../gql/graphql';

export const jarTypes: { value: HoneyJarType; label: string; help: string }[] = [
  { value: 'PRIVATE', label: 'Private', help: 'Only you (and administrators).' },
  { value: 'TEAM', label: 'Team', help: 'You and the members you add.' },
  { value: 'RESTRICTED', label: 'Restricted', help: 'A hand-picked audience of members.' },
  { value: 'PUBLIC', label: 'Public', help: 'Everyone signed in to STING.' },
];

export const typeLabel = (type: HoneyJarType) => jarTypes.find((t) => t.value === type)?.label ?? type;

export const statusTone = (status: HoneyJarStatus) => (status === 'ACTIVE' ? 'good' : 'neutral');

export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}
