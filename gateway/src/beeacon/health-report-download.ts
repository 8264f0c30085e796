// GET /api/beeacon/health-report/<id>.pdf: a stored health report's PDF, for administrators (observability decides,
// through the `healthReportPdf` query, which answers FORBIDDEN or NOT_FOUND in the REST error shape).
import { NotFoundError } from '@sting/kit/errors.ts';
import type { HttpRouteFactory } from '../http-routes.ts';
import type { HttpCall } from '../pipeline/http-route.ts';
import { operationFailure } from '../uploads/operation-errors.ts';

const PDF = `query HealthReportPdf($id: ID!) { healthReportPdf(id: $id) }`;
const FILE = /^([0-9a-f-]{36})\.pdf$/i;

export const healthReportDownloadRoute: HttpRouteFactory = () => ({
  name: 'beeacon.health-report.download',
  method: 'GET',
  path: '/api/beeacon/health-report/:file',
  async handle(call: HttpCall) {
    const id = FILE.exec(call.params.file)?.[1];
    if (!id) throw new NotFoundError('HealthReport', call.params.file);
    const result = await call.runOperation({ query: PDF, variables: { id } });
    if (result.errors?.length) throw operationFailure(result.errors);
    const pdf = Buffer.from((result.data as { healthReportPdf: string }).healthReportPdf, 'base64');
    call.res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': String(pdf.length),
      'content-disposition': `attachment; filename="sting-health-report-${id}.pdf"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    call.res.end(pdf);
  },
});
