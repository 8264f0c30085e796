// Reading the protobuf wire format, for the stand-ins that take protobuf bodies (the OTLP collector, Loki).
// The protobuf wire format (protobuf.dev/programming-guides/encoding): a message is a run of (field number, wire
// type) tags, each followed by a varint (0), 8 bytes (1), a length-prefixed run of bytes (2) or 4 bytes (5).
export type Field = { wire: 0; value: bigint } | { wire: 1 | 2 | 5; value: Buffer };

/** A varint as a number while it fits in 53 bits (tags, lengths, enums), else as a bigint (int64 values). */
export function varint(buf: Buffer, at: { pos: number }): number | bigint {
  let result = 0;
  for (let i = 0; i < 7; i++) {
    if (at.pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[at.pos++];
    result += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return result;
  }
  let big = BigInt(result);
  for (let shift = 49n; shift < 70n; shift += 7n) {
    if (at.pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[at.pos++];
    big |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return big;
  }
  throw new Error('varint longer than 10 bytes');
}

/** A message's fields by number, in order. */
export function fieldsOf(buf: Buffer): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  const at = { pos: 0 };
  const take = (n: number) => {
    if (n < 0 || at.pos + n > buf.length) throw new Error('truncated field');
    const value = buf.subarray(at.pos, at.pos + n);
    at.pos += n;
    return value;
  };
  while (at.pos < buf.length) {
    const tag = Number(varint(buf, at));
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number === 0) throw new Error('field number 0');
    let field: Field;
    if (wire === 0) field = { wire, value: BigInt(varint(buf, at)) };
    else if (wire === 1) field = { wire, value: take(8) };
    else if (wire === 2) field = { wire, value: take(Number(varint(buf, at))) };
    else if (wire === 5) field = { wire, value: take(4) };
    else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(number) ?? [];
    list.push(field);
    fields.set(number, list);
  }
  return fields;
}

export function bytesField(fields: Map<number, Field[]>, number: number): Buffer | undefined {
  const last = fields.get(number)?.at(-1);
  if (last && last.wire !== 2) throw new Error(`field ${number}: expected bytes`);
  return last?.value as Buffer | undefined;
}
export const messages = (fields: Map<number, Field[]>, number: number) =>
  (fields.get(number) ?? []).map((f) => {
    if (f.wire !== 2) throw new Error(`field ${number}: expected a message`);
    return fieldsOf(f.value);
  });
export const stringField = (fields: Map<number, Field[]>, number: number) =>
  bytesField(fields, number)?.toString('utf8') ?? '';
export const varintField = (fields: Map<number, Field[]>, number: number) => {
  const last = fields.get(number)?.at(-1);
  if (last && last.wire !== 0) throw new Error(`field ${number}: expected a varint`);
  return (last?.value as bigint | undefined) ?? 0n;
};
