// Answer quality of the extractive default on the generated benchmark corpus (tests/bench/corpus: nine formats,
// planted facts, paraphrased questions, distractors sharing the facts' wording), uploaded over REST and ingested
// for real. Every question is asked through POST /api/bee/chat; the figures are the share of answers containing
// the planted value and the share citing the document that states it (goal >= 0.9 on both).
import { generateCorpus } from './corpus/index.ts';
import { fixed, table } from './measure.ts';
import { startBeeBench } from './bee-platform.ts';

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const corpus = await generateCorpus();
const bench = await startBeeBench({ provider: 'extractive' });
try {
  say(
    `uploading ${corpus.documents.length} documents in ${new Set(corpus.documents.map((d) => d.fileType)).size} formats`,
  );
  const idOf = new Map<string, string>();
  for (let i = 0; i < corpus.documents.length; i += 6) {
    const batch = corpus.documents.slice(i, i + 6);
    const ids = await bench.upload(
      batch.map((d) => ({
        name: d.filename,
        title: d.title,
        text: d.bytes,
        type: 'application/octet-stream',
      })),
    );
    batch.forEach((d, j) => idOf.set(d.filename, ids[j]));
  }
  const byFormat = new Map<string, { asked: number; containing: number; citing: number }>();
  const began = performance.now();
  for (const q of corpus.questions) {
    const answer = await bench.ask(q.question, await bench.newConversation());
    const row = byFormat.get(q.fileType) ?? { asked: 0, containing: 0, citing: 0 };
    row.asked++;
    if (answer.text.includes(q.answer)) row.containing++;
    if (answer.citedDocuments.includes(idOf.get(q.expectedDocument)!)) row.citing++;
    byFormat.set(q.fileType, row);
  }
  const seconds = (performance.now() - began) / 1000;
  const all = [...byFormat.values()].reduce(
    (sum, r) => ({
      asked: sum.asked + r.asked,
      containing: sum.containing + r.containing,
      citing: sum.citing + r.citing,
    }),
    { asked: 0, containing: 0, citing: 0 },
  );
  const row = (name: string, r: typeof all) => [
    name,
    String(r.asked),
    fixed(r.containing / r.asked, 2),
    fixed(r.citing / r.asked, 2),
  ];
  process.stdout.write(
    `\n${table(
      [
        'extractive, by format of the answering document',
        'questions',
        'contain the fact',
        'cite its document',
      ],
      [...[...byFormat.entries()].map(([format, r]) => row(format, r)), row('all', all)],
    )}\n(goal >= 0.90 on both; ${fixed(all.asked / seconds, 1)} answers/s through the gateway)\n`,
  );
} finally {
  await bench.stop();
}
