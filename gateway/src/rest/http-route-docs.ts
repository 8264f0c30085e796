// The plain HTTP routes of http-routes.ts (uploads, downloads, Bee's chat, the health report PDF) in the OpenAPI
// document. They stream bytes or events rather than run one GraphQL operation, so each is described here by hand;
// gateway/test/openapi.test.ts holds this table and the registered routes to the same methods and paths.
import type { JsonSchema } from './json-schemas.ts';

/** What the descriptions take from the rest of the document. */
export interface HttpRouteDocParts {
  /** `{ api_version, data }` around `data`. */
  envelope(data: JsonSchema): JsonSchema;
  /** A document as `GET /api/v1/honey-pots/{id}/documents` lists it (one of its page's `nodes`). */
  document: JsonSchema;
  /** References to the shared error responses, by status. */
  errors(...statuses: string[]): Record<string, JsonSchema>;
}

export interface HttpRouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** In OpenAPI's form: `{id}`, not `:id`. */
  path: string;
  tag: string;
  operation(parts: HttpRouteDocParts): JsonSchema;
}

const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

const binary = (description: string): JsonSchema => ({
  type: 'string',
  contentMediaType: 'application/octet-stream',
  description,
});

const CITATION: JsonSchema = {
  type: 'object',
  properties: {
    index: { type: 'integer', description: 'The number of its [n] marker in the answer' },
    chunk_id: { type: 'string' },
    page: { type: ['integer', 'null'] },
    quote: { type: 'string' },
    document: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
    honey_jar: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
  },
};

/** The original file's routes (download and view) take the same ranges. */
const ORIGINAL_PARAMS = [
  pathParam('id', 'The document'),
  {
    name: 'Range',
    in: 'header',
    required: false,
    description: 'One range of bytes (RFC 9110 §14.2)',
    schema: { type: 'string', example: 'bytes=0-1023' },
  },
  {
    name: 'If-Range',
    in: 'header',
    required: false,
    description: 'The ETag of an earlier answer: the range is served only if the file is still that one',
    schema: { type: 'string' },
  },
];

/** A document an upload answers: as the document list shows it, and whether the jar held its bytes already. */
function uploaded(document: JsonSchema): JsonSchema {
  const listed = document as { properties?: Record<string, JsonSchema>; required?: string[] };
  return {
    ...document,
    properties: {
      ...listed.properties,
      already_stored: {
        type: 'boolean',
        description:
          'True when the jar held these bytes before this request: this is that document, and nothing was ' +
          'stored or queued. False for a new document, and for a proposal waiting for review that the upload let ' +
          'in (it is processed now).',
      },
    },
    required: [...(listed.required ?? []), 'already_stored'],
  };
}

export const HTTP_ROUTE_DOCS: readonly HttpRouteDoc[] = [
  {
    method: 'POST',
    path: '/api/v1/honey-pots/{id}/upload',
    tag: 'Documents',
    operation: ({ envelope, document, errors }) => ({
      operationId: 'uploadDocuments',
      summary: 'Upload documents to a honey jar',
      description:
        'One to 20 `file` parts, each optionally preceded by a `title` part (default: the file name). Each file is ' +
        'streamed to encrypted storage under the per-file limit (knowledge.maxUploadBytes) and the jar quota; its ' +
        'type is read from its content. The same bytes sent again to the same jar return the existing document, ' +
        'with `already_stored` true; when every file was stored already (nothing new, nothing queued) the answer ' +
        'is 200 rather than 202. ' +
        'Past a limit the request ends with 413, and the files before it are kept; a refused file (413 or 400) ' +
        'after others were stored says how many in its message, and its answer lists their documents in `data`.',
      parameters: [pathParam('id', 'The honey jar')],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: { type: 'array', minItems: 1, maxItems: 20, items: binary('A file to add') },
                title: {
                  type: 'array',
                  items: { type: 'string', minLength: 1, maxLength: 300 },
                  description: 'The title of the file part that follows it',
                },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Every file was in the jar already: their documents, each with `already_stored` true',
          content: { 'application/json': { schema: envelope({ type: 'array', items: uploaded(document) }) } },
        },
        '202': {
          description:
            'The documents, the new ones queued for ingestion (PENDING) or, on a PUBLIC jar, for review; ' +
            '`already_stored` tells them from those the jar held already',
          content: { 'application/json': { schema: envelope({ type: 'array', items: uploaded(document) }) } },
        },
        ...errors('400', '401', '403', '404', '413', '429', '500'),
      },
    }),
  },
  {
    method: 'PUT',
    path: '/api/v1/uploads/{token}',
    tag: 'Documents',
    operation: ({ envelope, document, errors }) => ({
      operationId: 'putStagedUpload',
      summary: "A staged upload's bytes",
      description:
        'The bytes of a file announced with the GraphQL mutation createUpload, sent before its URL expires by the ' +
        'same kind of caller that created it (the URL alone uploads nothing). Bytes the jar holds already answer ' +
        'its existing document with `already_stored` true, and 200 instead of 202.',
      parameters: [pathParam('token', "The token of createUpload's uploadUrl")],
      requestBody: {
        required: true,
        content: { 'application/octet-stream': { schema: binary('The file') } },
      },
      responses: {
        '200': {
          description: 'The jar held these bytes already: its document, with `already_stored` true',
          content: { 'application/json': { schema: envelope(uploaded(document)) } },
        },
        '202': {
          description: 'The new document, queued for ingestion (PENDING) or, on a PUBLIC jar, for review',
          content: { 'application/json': { schema: envelope(uploaded(document)) } },
        },
        ...errors('400', '401', '403', '404', '413', '429', '500'),
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/documents/{id}/download',
    tag: 'Documents',
    operation: ({ errors }) => ({
      operationId: 'downloadDocument',
      summary: 'Download the original file',
      description:
        'The bytes as uploaded, with their content type, to anyone who may read the jar. One range of bytes ' +
        '(`Range: bytes=0-1023`, `bytes=1024-`, `bytes=-500`) is answered with just those (206); several ranges, or a ' +
        'header that is not a byte range, get the whole file. The ETag names the file: sent back in `If-Range`, ' +
        'it keeps the range only while the file is the same one.',
      parameters: ORIGINAL_PARAMS,
      responses: {
        '200': { description: 'The file', content: { '*/*': { schema: binary('The file') } } },
        '206': {
          description: "The bytes the Range asked for; Content-Range names them and the file's size",
          content: { '*/*': { schema: binary('Part of the file') } },
        },
        ...errors('401', '404', '416', '429', '500'),
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/documents/{id}/view',
    tag: 'Documents',
    operation: ({ errors }) => ({
      operationId: 'viewDocument',
      summary: 'Show the original file in the browser',
      description:
        'The bytes of /download, to the same callers, with the same ranges and ETag, but for showing in a ' +
        'browser tab (`Content-Disposition: inline`): a PDF as application/pdf (append `#page=N` to open it at a ' +
        'page), and plain text, Markdown, CSV, JSON and HTML as `text/plain; charset=utf-8`, so HTML shows its ' +
        'markup and never runs. DOCX, XLSX and PPTX, which browsers do not show, come as /download sends them ' +
        '(an attachment with their own type). Sent with `X-Content-Type-Options: nosniff`, ' +
        '`Cross-Origin-Resource-Policy: same-origin` and a Content-Security-Policy that loads nothing and allows ' +
        'no framing (text is sandboxed too).',
      parameters: ORIGINAL_PARAMS,
      responses: {
        '200': {
          description: 'The file',
          content: {
            'application/pdf': { schema: binary('A PDF') },
            'text/plain': {
              schema: { type: 'string', description: 'A text file of any kind, HTML included' },
            },
            '*/*': { schema: binary('An Office file, as an attachment') },
          },
        },
        '206': {
          description: "The bytes the Range asked for; Content-Range names them and the file's size",
          content: { '*/*': { schema: binary('Part of the file') } },
        },
        ...errors('401', '404', '416', '429', '500'),
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/bee/chat',
    tag: 'Bee',
    operation: ({ envelope, errors }) => ({
      operationId: 'beeChat',
      summary: 'Ask Bee',
      description:
        "Sends a message to a conversation (a new one when conversation_id is absent) and answers with Bee's " +
        'finished answer. With `Accept: text/event-stream` it streams instead: an event `conversation` with ' +
        '{ conversation_id }, then MessageDelta (text), MessageCitation (a citation as it is first named) and ' +
        'finally MessageCompleted (the message) or MessageFailed (code, error, request_id).',
      requestBody: {
        required: true,
        description: 'Field names in snake_case (camelCase is accepted too).',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['message'],
              properties: {
                message: { type: 'string', minLength: 1 },
                conversation_id: { type: 'string', description: 'One of your conversations' },
                honey_jar_ids: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'The jars to search (default: every jar you may read)',
                },
              },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'The answer',
          content: {
            'application/json': {
              schema: envelope({
                type: 'object',
                properties: {
                  conversation_id: { type: 'string' },
                  message: {
                    type: 'object',
                    properties: {
                      id: { type: 'string' },
                      text: {
                        type: 'string',
                        description: 'The answer, with [n] markers naming its citations',
                      },
                      status: { type: 'string' },
                      citations: { type: 'array', items: CITATION },
                    },
                  },
                },
              }),
            },
            'text/event-stream': {
              schema: { type: 'string', description: 'Server-sent events, as described' },
            },
          },
        },
        ...errors('400', '401', '403', '404', '429', '500', '502', '504'),
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/beeacon/health-report/{file}',
    tag: 'Beeacon',
    operation: ({ errors }) => ({
      operationId: 'downloadHealthReport',
      summary: 'A health report as PDF (administrators)',
      description: "`{id}.pdf`, where id is a report's id from POST /api/beeacon/health-report.",
      parameters: [pathParam('file', 'The report id followed by .pdf')],
      responses: {
        '200': { description: 'The report', content: { 'application/pdf': { schema: binary('The PDF') } } },
        ...errors('401', '403', '404', '429', '500'),
      },
    }),
  },
];
