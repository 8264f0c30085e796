// Unit length for vectors from model servers: cosine search assumes it, and not every server normalises.
import { EmbeddingError } from './errors.ts';

export function toUnitVector(provider: string, values: unknown, dimension: number): Float32Array {
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    !values.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new EmbeddingError(provider, 'the server answered something that is not a vector of numbers');
  }
  if (dimension > 0 && values.length !== dimension) {
    throw new EmbeddingError(
      provider,
      `the model returned ${values.length} dimensions, config says ${dimension}`,
    );
  }
  const vector = Float32Array.from(values as number[]);
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm === 0) return vector;
  const inverse = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= inverse;
  return vector;
}
