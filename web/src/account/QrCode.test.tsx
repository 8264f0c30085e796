// The enrolment QR code: an SVG image with a text alternative, dark modules on white with a quiet zone, and
// the three finder patterns in their corners.
import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { encode } from 'uqr';
import QrCode, { qrPath } from './QrCode';

const uri = 'otpauth://totp/STING:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=STING';

describe('QrCode', () => {
  it('draws every dark module once, inside a white square with a quiet zone', () => {
    const qr = encode(uri, { ecc: 'M', border: 4 });
    const dark = qr.data.flat().filter(Boolean).length;
    expect(qrPath(qr.data).match(/M/g)).toHaveLength(dark);
    // The quiet zone: four light rows and columns all round.
    expect(qr.data.slice(0, 4).flat().some(Boolean)).toBe(false);
    // The top-left finder pattern starts right after it: a 7-module dark line.
    expect(qr.data[4]!.slice(4, 11).every(Boolean)).toBe(true);
  });

  it('is an image named for what it is', () => {
    render(<QrCode text={uri} label="QR code of your authenticator app set-up" />);
    const image = screen.getByRole('img', { name: 'QR code of your authenticator app set-up' });
    expect(image.querySelector('rect')?.getAttribute('fill')).toBe('#fff');
    expect(image.querySelector('path')?.getAttribute('fill')).toBe('#000');
  });
});
