// Builds a tiny random-weight BERT-like sentence-transformers folder for tests: an ONNX graph written here with
// the onnx protobuf schema (inputs input_ids/attention_mask/token_type_ids, output last_hidden_state), plus
// config.json, tokenizer.json (WordPiece) and tokenizer_config.json, as a real exported model folder has them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

// The subset of onnx.proto (field numbers as published) that a small inference graph needs.
const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            i: { type: 'int64', id: 3 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 } },
          nested: {
            Tensor: {
              fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
            },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
  },
};

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;

/** A seeded generator (mulberry32), so the "random" weights are the same in every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function floatTensor(name: string, dims: number[], next: () => number) {
  const values = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => next() * 2 - 1);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer) };
}

const io = (name: string, elemType: number, dims: string[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((dimParam) => ({ dimParam })) } } },
});

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = [
  'the',
  'hive',
  'honey',
  'bee',
  'bees',
  'queen',
  'jar',
  'refund',
  'policy',
  'days',
  'hello',
  'world',
];

export function tinyVocabulary(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
  return [...SPECIAL, ...WORDS, ...letters, ...letters.map((l) => `##${l}`), '.', ',', '?', '!'];
}

/** Writes the model folder and returns its path. `hidden` is the embedding dimension. */
export function writeTinyBert(folder: string, hidden = 32, seed = 7): string {
  const vocabulary = tinyVocabulary();
  const next = random(seed);
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
  const Model = root.lookupType('onnx.ModelProto');
  const graph = {
    name: 'tiny-bert',
    node: [
      { opType: 'Gather', input: ['word_embeddings', 'input_ids'], output: ['words'], name: 'embed_words' },
      {
        opType: 'Gather',
        input: ['token_type_embeddings', 'token_type_ids'],
        output: ['types'],
        name: 'embed_types',
      },
      { opType: 'Add', input: ['words', 'types'], output: ['embedded'], name: 'sum' },
      { opType: 'MatMul', input: ['embedded', 'dense_weight'], output: ['projected'], name: 'dense' },
      { opType: 'Add', input: ['projected', 'dense_bias'], output: ['biased'], name: 'bias' },
      { opType: 'Tanh', input: ['biased'], output: ['activated'], name: 'activation' },
      {
        opType: 'Cast',
        input: ['attention_mask'],
        output: ['mask_float'],
        name: 'mask_cast',
        attribute: [{ name: 'to', i: FLOAT, type: ATTRIBUTE_INT }],
      },
      { opType: 'Unsqueeze', input: ['mask_float', 'last_axis'], output: ['mask'], name: 'mask_expand' },
      { opType: 'Mul', input: ['activated', 'mask'], output: ['last_hidden_state'], name: 'masked' },
    ],
    initializer: [
      floatTensor('word_embeddings', [vocabulary.length, hidden], next),
      floatTensor('token_type_embeddings', [2, hidden], next),
      floatTensor('dense_weight', [hidden, hidden], next),
      floatTensor('dense_bias', [hidden], next),
      { name: 'last_axis', dims: [1], dataType: INT64, int64Data: [2] },
    ],
    input: [
      io('input_ids', INT64, ['batch', 'sequence']),
      io('attention_mask', INT64, ['batch', 'sequence']),
      io('token_type_ids', INT64, ['batch', 'sequence']),
    ],
    output: [io('last_hidden_state', FLOAT, ['batch', 'sequence', 'hidden'])],
  };
  const model = Model.fromObject({
    irVersion: 8,
    producerName: 'sting-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  writeFileSync(join(folder, 'onnx', 'model.onnx'), Model.encode(model).finish());
  writeFileSync(
    join(folder, 'config.json'),
    JSON.stringify({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: hidden,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      intermediate_size: hidden,
      max_position_embeddings: 128,
      type_vocab_size: 2,
      vocab_size: vocabulary.length,
      pad_token_id: 0,
    }),
  );
  const special = (token: string) => ({
    id: vocabulary.indexOf(token),
    tokens: [token],
    ids: [vocabulary.indexOf(token)],
  });
  writeFileSync(
    join(folder, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
          { Sequence: { id: 'B', type_id: 1 } },
          { SpecialToken: { id: '[SEP]', type_id: 1 } },
        ],
        special_tokens: {
          '[CLS]': { ...special('[CLS]'), id: '[CLS]' },
          '[SEP]': { ...special('[SEP]'), id: '[SEP]' },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])),
      },
    }),
  );
  writeFileSync(
    join(folder, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 128,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
  return folder;
}
