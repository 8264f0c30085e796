// The facts a generated corpus plants: each template states one attribute of a named entity, asks for it in
// other words (a paraphrase that shares few words with the fact), and is reused for distractors that share
// the fact's wording but are about another entity.

export interface FactTemplate {
  key: string;
  fact: (entity: string, value: string) => string;
  question: (entity: string) => string;
  value: (pick: Picker) => string;
}

export interface Picker {
  int(min: number, max: number): number;
  one<T>(items: readonly T[]): T;
}

const CITIES = [
  'Lisbon',
  'Tallinn',
  'Oslo',
  'Valencia',
  'Gdansk',
  'Lyon',
  'Porto',
  'Bergen',
  'Turin',
  'Ghent',
];
const PEOPLE = [
  'Ada Moreau',
  'Bruno Keller',
  'Chiara Rossi',
  'Dmitri Volkov',
  'Elif Demir',
  'Farah Haddad',
  'Goran Petrovic',
  'Hana Sato',
  'Ines Duarte',
  'Jonas Berg',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DESKS = ['Amber', 'Cobalt', 'Juniper', 'Saffron', 'Indigo', 'Meadow', 'Granite', 'Harbor'];
const LANGUAGES = ['Rust', 'Kotlin', 'Elixir', 'Haskell', 'Scala', 'Go', 'OCaml', 'Clojure'];
const ORDINALS = ['5th', '10th', '12th', '15th', '20th', '25th', '28th'];

export const FACT_TEMPLATES: readonly FactTemplate[] = [
  {
    key: 'refund',
    fact: (e, v) => `Customers of ${e} can request a refund within ${v} days of purchase.`,
    question: (e) => `How long do ${e} buyers have to get their money back?`,
    value: (p) => String(p.int(14, 90)),
  },
  {
    key: 'datacentre',
    fact: (e, v) => `The ${e} database is hosted in the ${v} data centre.`,
    question: (e) => `Where are the servers that store ${e}'s records located?`,
    value: (p) => p.one(CITIES),
  },
  {
    key: 'lead',
    fact: (e, v) => `${v} has led the ${e} team since ${2015 + (v.length % 8)}.`,
    question: (e) => `Who is in charge of the ${e} group?`,
    value: (p) => p.one(PEOPLE),
  },
  {
    key: 'budget',
    fact: (e, v) => `The annual budget of the ${e} programme is ${v} euros.`,
    question: (e) => `How much money does ${e} receive per year?`,
    value: (p) => `${p.int(2, 95)},${p.int(100, 999)},000`,
  },
  {
    key: 'meeting',
    fact: (e, v) => `The ${e} committee meets every ${v} morning.`,
    question: (e) => `On which weekday does the ${e} board hold its gathering?`,
    value: (p) => p.one(DAYS),
  },
  {
    key: 'passwords',
    fact: (e, v) => `Staff at ${e} must change their passwords every ${v} days.`,
    question: (e) => `How often do ${e} employees need to rotate their login credentials?`,
    value: (p) => String(p.int(30, 180)),
  },
  {
    key: 'launch',
    fact: (e, v) => `The ${e} app will be released on ${v}.`,
    question: (e) => `When does the ${e} application ship?`,
    value: (p) => `${p.int(1, 28)} ${p.one(MONTHS)} ${p.int(2026, 2029)}`,
  },
  {
    key: 'warranty',
    fact: (e, v) => `${e} devices carry a warranty of ${v} years.`,
    question: (e) => `For how long is ${e} hardware guaranteed?`,
    value: (p) => String(p.int(2, 9)),
  },
  {
    key: 'capacity',
    fact: (e, v) => `The ${e} warehouse can store ${v} pallets.`,
    question: (e) => `How much stock fits in the ${e} storage facility?`,
    value: (p) => String(p.int(200, 9000)),
  },
  {
    key: 'support',
    fact: (e, v) => `Support requests for ${e} go to the ${v} desk.`,
    question: (e) => `Which team handles help tickets about ${e}?`,
    value: (p) => p.one(DESKS),
  },
  {
    key: 'expenses',
    fact: (e, v) => `Expense reports for ${e} are due on the ${v} of each month.`,
    question: (e) => `By what date must ${e} reimbursement claims be submitted?`,
    value: (p) => p.one(ORDINALS),
  },
  {
    key: 'language',
    fact: (e, v) => `The ${e} codebase is written mainly in ${v}.`,
    question: (e) => `Which programming language is used to build ${e}?`,
    value: (p) => p.one(LANGUAGES),
  },
];

const SUBJECTS = [
  'The quarterly review',
  'Our operations group',
  'The finance office',
  'Each regional branch',
  'The platform team',
  'The hiring panel',
  'Every project lead',
  'The audit committee',
];
const VERBS = [
  'discussed',
  'approved',
  'postponed',
  'documented',
  'revised',
  'summarised',
  'evaluated',
  'circulated',
];
const OBJECTS = [
  'the travel guidelines',
  'the onboarding checklist',
  'the vendor contracts',
  'the office move',
  'the incident report',
  'the training calendar',
  'the procurement rules',
  'the customer survey',
];
const TAILS = [
  'after a long debate',
  'ahead of the deadline',
  'with minor changes',
  'for the coming season',
  'in the shared drive',
  'at the last all-hands',
  'without objections',
  'pending legal advice',
];

/** A sentence of plausible office prose that states nothing a question asks about. */
export function fillerSentence(pick: Picker): string {
  return `${pick.one(SUBJECTS)} ${pick.one(VERBS)} ${pick.one(OBJECTS)} ${pick.one(TAILS)}.`;
}

const SYLLABLES = [
  'zor',
  'vel',
  'ix',
  'qua',
  'bri',
  'ton',
  'mar',
  'lun',
  'dex',
  'sol',
  'kai',
  'ren',
  'fa',
  'dor',
  'pli',
  'nox',
];

/** A made-up name (e.g. "Zorvelix"), so each question points at exactly one planted fact. */
export function entityName(pick: Picker): string {
  const parts = pick.int(2, 3);
  let name = '';
  for (let i = 0; i < parts; i++) name += pick.one(SYLLABLES);
  return name[0].toUpperCase() + name.slice(1);
}
