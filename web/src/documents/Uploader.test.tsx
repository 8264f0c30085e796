// Uploading: the picker offers the formats the service reads; bytes the jar holds already are said to be there
// (the server answers with that document); a refused file shows its reason instead of a progress bar.
import { afterEach, describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import { CreateUploadDocument } from './operations';
import { alreadyInJar, Uploader } from './Uploader';

/** What the PUT of each file answers, in turn. */
const answers: { status: number; body: unknown }[] = [];

class FakeXhr {
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  status = 0;
  responseText = '';
  withCredentials = false;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open() {}
  setRequestHeader() {}
  send() {
    const answer = answers.shift()!;
    setTimeout(() => {
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    });
  }
}

const realXhr = globalThis.XMLHttpRequest;

const staged = (filename: string) => ({
  request: {
    query: CreateUploadDocument,
    variables: { honeyJarId: 'j-1', filename, contentType: 'text/plain', size: 5 },
  },
  result: {
    data: {
      createUpload: {
        __typename: 'StagedUpload',
        uploadUrl: `/api/v1/uploads/t-${filename}`,
        maxBytes: 1000,
        limit: '1 KB',
        reviewRequired: false,
      },
    },
  },
});

describe('alreadyInJar', () => {
  const sentAt = new Date('2026-11-30T12:00:00.000Z');

  it('knows the same bytes by a document already past its first state, or made well before the upload', () => {
    expect(alreadyInJar({ processing_status: 'READY', created_at: sentAt.toISOString() }, sentAt)).toBe(true);
    expect(
      alreadyInJar({ processing_status: 'PENDING', created_at: '2026-11-29T08:00:00.000Z' }, sentAt),
    ).toBe(true);
  });

  it('takes a pending document made about now, even by a clock a little off, for a new one', () => {
    expect(
      alreadyInJar({ processing_status: 'PENDING', created_at: '2026-11-30T11:59:30.000Z' }, sentAt),
    ).toBe(false);
    expect(
      alreadyInJar({ processing_status: 'PENDING_REVIEW', created_at: sentAt.toISOString() }, sentAt),
    ).toBe(false);
    expect(alreadyInJar(undefined, sentAt)).toBe(false);
  });
});

describe('Uploader', () => {
  afterEach(() => {
    globalThis.XMLHttpRequest = realXhr;
  });

  it('says which file was in the jar already, and shows a refusal without a progress bar', async () => {
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    answers.push(
      {
        status: 202,
        body: { data: { id: 'd-1', processing_status: 'READY', created_at: '2026-01-01T00:00:00.000Z' } },
      },
      { status: 413, body: { error: { message: 'The file exceeds 1 KB', request_id: 'r-1' } } },
    );
    render(
      <MockedProvider cache={createCache()} mocks={[staged('notes.txt'), staged('big.txt')]}>
        <Uploader honeyJarId="j-1" onUploaded={() => undefined} />
      </MockedProvider>,
    );
    const picker = screen.getByLabelText('Choose files') as HTMLInputElement;
    expect(picker.accept.split(',')).toEqual(
      expect.arrayContaining(['.pdf', '.docx', '.md', '.csv', '.pptx']),
    );
    const file = (name: string) => new File(['hello'], name, { type: 'text/plain' });
    fireEvent.change(picker, { target: { files: [file('notes.txt')] } });
    expect(
      (await screen.findByText('Already in this jar; nothing new was added.')).getAttribute('role'),
    ).toBe('status');

    fireEvent.change(picker, { target: { files: [file('big.txt')] } });
    expect((await screen.findByRole('alert')).textContent).toBe('The file exceeds 1 KB (request id r-1)');
    expect(screen.queryByRole('progressbar', { name: 'Upload of big.txt' })).toBeNull();
    expect(screen.getByRole('progressbar', { name: 'Upload of notes.txt' })).toBeTruthy();
  });
});
