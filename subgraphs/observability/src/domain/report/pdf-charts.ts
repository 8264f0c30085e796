// Simple vector charts drawn with pdfkit's path API: horizontal bars with their values, and a line over days.
// Each draws into a box at the document's current position and moves the cursor below it.
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

export const COLORS = { bar: '#d99a00', line: '#1f6feb', axis: '#888888', text: '#222222', bad: '#c62828' };

const format = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** One bar per item, longest value spanning the width; the value printed after each bar. */
export function barChart(
  doc: Doc,
  items: { label: string; value: number; color?: string }[],
  options: { unit?: string; max?: number } = {},
): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const labelWidth = 130;
  const barArea = width - labelWidth - 70;
  const max = options.max ?? Math.max(1, ...items.map((item) => item.value));
  const rowHeight = 16;
  let y = doc.y + 4;
  doc.fontSize(9);
  for (const item of items) {
    if (y + rowHeight > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.y;
    }
    doc
      .fillColor(COLORS.text)
      .text(item.label, left, y + 3, { width: labelWidth - 6, ellipsis: true, lineBreak: false });
    const length = Math.max(0, (item.value / max) * barArea);
    doc.rect(left + labelWidth, y + 2, Math.max(length, 0.5), rowHeight - 5).fill(item.color ?? COLORS.bar);
    doc
      .fillColor(COLORS.text)
      .text(`${format(item.value)}${options.unit ?? ''}`, left + labelWidth + length + 4, y + 3, {
        lineBreak: false,
      });
    y += rowHeight;
  }
  doc.fillColor(COLORS.text);
  doc.x = left;
  doc.y = y + 6;
}

/** Values per day joined by a line, with the axes, the largest value and the first and last day. */
export function lineChart(
  doc: Doc,
  points: { day: string; value: number }[],
  options: { height?: number; title?: string } = {},
): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const height = options.height ?? 90;
  // The title stays with its chart: both move to a new page when the chart does not fit.
  if (doc.y + height + 45 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  if (options.title)
    doc.font('Helvetica').fontSize(10).fillColor(COLORS.text).text(options.title, left, doc.y);
  const top = doc.y + 6;
  const plotLeft = left + 40;
  const plotWidth = width - 50;
  const max = Math.max(1, ...points.map((point) => point.value));
  doc.lineWidth(0.5).strokeColor(COLORS.axis);
  doc
    .moveTo(plotLeft, top)
    .lineTo(plotLeft, top + height)
    .lineTo(plotLeft + plotWidth, top + height)
    .stroke();
  doc.fontSize(8).fillColor(COLORS.axis);
  doc.text(format(max), left, top - 3, { width: 36, align: 'right', lineBreak: false });
  doc.text('0', left, top + height - 6, { width: 36, align: 'right', lineBreak: false });
  const x = (index: number) =>
    points.length === 1 ? plotLeft + plotWidth / 2 : plotLeft + (index / (points.length - 1)) * plotWidth;
  const y = (value: number) => top + height - (value / max) * height;
  if (points.length > 0) {
    doc.lineWidth(1.5).strokeColor(COLORS.line);
    points.forEach((point, index) =>
      index === 0 ? doc.moveTo(x(index), y(point.value)) : doc.lineTo(x(index), y(point.value)),
    );
    if (points.length > 1) doc.stroke();
    for (const [index, point] of points.entries()) doc.circle(x(index), y(point.value), 2).fill(COLORS.line);
    doc.fillColor(COLORS.axis).fontSize(8);
    doc.text(points[0].day, plotLeft, top + height + 3, { lineBreak: false });
    if (points.length > 1)
      doc.text(points.at(-1)!.day, plotLeft + plotWidth - 60, top + height + 3, {
        width: 60,
        align: 'right',
        lineBreak: false,
      });
  } else {
    doc
      .fillColor(COLORS.axis)
      .fontSize(9)
      .text('No events in this period', plotLeft + 10, top + height / 2 - 5, { lineBreak: false });
  }
  doc.fillColor(COLORS.text).strokeColor(COLORS.text).lineWidth(1);
  doc.x = left;
  doc.y = top + height + 18;
}
