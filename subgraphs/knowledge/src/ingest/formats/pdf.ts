// PDF through pdfjs-dist, one section per page so every chunk keeps its page number. pdfjs-dist 6 has no
// eval-based font path at all (CVE-2024-4367's cause, which `isEvalSupported: false` closed in 4.2.67). Encrypted and truncated files get their own plain-language reason.
import { ExtractionError } from '../errors.ts';
import type { ExtractedDocument, ExtractedSection } from '../types.ts';

/** Every complete PDF ends with `%%EOF` (readers allow trailing junk within the last kilobyte). */
function hasEndMarker(bytes: Uint8Array): boolean {
  const tail = new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 1024)));
  return tail.includes('%%EOF');
}

export async function extractPdf(bytes: Uint8Array): Promise<ExtractedDocument> {
  if (!hasEndMarker(bytes)) {
    throw new ExtractionError(
      'truncated',
      'the PDF is incomplete: it ends before its end-of-file marker (was the upload or copy cut short?)',
    );
  }
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: bytes,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let pdf;
  try {
    pdf = await task.promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') {
      throw new ExtractionError(
        'encrypted',
        'the PDF is password-protected; remove the password and upload it again',
      );
    }
    throw new ExtractionError('malformed', 'the PDF is damaged and cannot be read', { cause: err });
  }
  try {
    const sections: ExtractedSection[] = [];
    for (let page = 1; page <= pdf.numPages; page++) {
      const content = await (await pdf.getPage(page)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      text = text.replace(/[ \t]+\n/g, '\n').trim();
      if (text) sections.push({ text, headingPath: [], page });
    }
    if (sections.length === 0 && pdf.numPages > 0) {
      throw new ExtractionError(
        'empty',
        'the PDF has no text to read (it may be scanned images without OCR)',
      );
    }
    return { sections };
  } catch (err) {
    if (err instanceof ExtractionError) throw err;
    throw new ExtractionError('malformed', 'the PDF is damaged and its pages cannot be read', { cause: err });
  } finally {
    await task.destroy();
  }
}
