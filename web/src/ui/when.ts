// "14:05" today, "3 Dec" earlier this year, "3 Dec 2025" before: when something last happened, as short as a list
// beside its title can show it, in the reader's locale and time zone.

export function whenShort(iso: string, now = new Date(), locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const sameDay = at.toDateString() === now.toDateString();
  if (sameDay) return at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return at.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}
