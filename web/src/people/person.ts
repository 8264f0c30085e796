// A person as the people picker hands them over: enough to show and to name in a mutation.
export interface PickedPerson {
  id: string;
  displayName: string;
  /** Only administrators see other people's addresses. */
  email?: string | null;
}
