// PUTs a file's bytes to a staged upload URL and reports the transfer's progress (fetch cannot report upload
// progress; XMLHttpRequest can). Resolves with the gateway's JSON answer, rejects with its error shape's message.
export class UploadError extends Error {
  readonly requestId?: string;
  constructor(message: string, requestId?: string) {
    super(message);
    this.requestId = requestId;
  }
}

export function putWithProgress(
  url: string,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new UploadError('The upload was interrupted. Check your connection and try again.'));
    xhr.onload = () => {
      let body: { data?: unknown; error?: { message: string; request_id?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status says enough
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body.data);
      } else
        reject(
          new UploadError(
            body.error?.message ?? `The upload failed (${xhr.status}).`,
            body.error?.request_id,
          ),
        );
    };
    xhr.send(file);
  });
}
