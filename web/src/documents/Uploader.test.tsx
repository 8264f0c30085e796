// Uploading: the picker offers the formats the service reads; bytes the jar holds already are said to be there
// (the server answers with that document, marked already_stored), whatever state it is in; a refused file shows its
// reason instead of a progress bar.
import { afterEach, describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { createCache } from '../app/apollo';
import { CreateUploadDocument } from './operations';
import { Uploader } from './Uploader';

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

describe('Uploader', () => {
  afterEach(() => {
    globalThis.XMLHttpRequest = realXhr;
  });

  it('says which file was in the jar already, as the server marks it, and shows a refusal without a progress bar', async () => {
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    answers.push(
      // Sent a moment ago by someone else and not processed yet: still the same bytes, already in the jar.
      {
        status: 200,
        body: {
          data: {
            id: 'd-1',
            processing_status: 'PENDING',
            created_at: new Date().toISOString(),
            already_stored: true,
          },
        },
      },
      { status: 413, body: { error: { message: 'The file exceeds 1 KB', request_id: 'r-1' } } },
      // New, though processed by the time the answer came: an upload like any other.
      {
        status: 202,
        body: {
          data: {
            id: 'd-2',
            processing_status: 'READY',
            created_at: '2026-01-01T00:00:00.000Z',
            already_stored: false,
          },
        },
      },
    );
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[staged('notes.txt'), staged('big.txt'), staged('fresh.txt')]}
      >
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

    fireEvent.change(picker, { target: { files: [file('fresh.txt')] } });
    expect((await screen.findByText('Uploaded; processing starts.')).getAttribute('role')).toBe('status');
    expect(screen.getAllByText('Already in this jar; nothing new was added.')).toHaveLength(1);
  });
});
