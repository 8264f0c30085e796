// "1 passage", "2 passages", "1,204 records": a count with its noun in the right number.

export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`;
}
