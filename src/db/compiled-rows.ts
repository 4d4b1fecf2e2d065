// Rows of a prepared drizzle query built by a mapper made once per query, for the statements every page view runs.
import { Column, getTableName, is, SQL, type SelectedFieldsOrdered } from 'drizzle-orm';

type Placeholders = Record<string, unknown>;

type PreparedSelect<All extends unknown[], Get> = {
  all(placeholders?: Placeholders): All;
  get(placeholders?: Placeholders): Get;
  values(placeholders?: Placeholders): unknown[][];
};

type Rows<All, Get> = { all(placeholders?: Placeholders): All; get(placeholders?: Placeholders): Get };

/** What drizzle's prepared select keeps to itself: its columns in result order, and which joined tables may be missing. */
type SelectInternals = {
  fields?: SelectedFieldsOrdered<Column>;
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
};

/** A result field that compiledRows maps itself: a column or an sql`` expression, at most one object deep. */
type PlainField = { path: string[]; field: Column | SQL };
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * The same rows as `query.all()` and `query.get()`, built faster. Drizzle works out each value's decoder and place in
 * the result anew for every value of every row; on a request with 100 messages that cost more than the query itself.
 * Here that is worked out once, from the very fields drizzle prepared the query with, by drizzle's own rules (a
 * nested object of a left-joined table is null when its first column is). `get` is for queries that find at most one
 * row. A query drizzle maps in another way keeps drizzle's mapping.
 */
export function compiledRows<All extends unknown[], Get>(query: PreparedSelect<All, Get>): Rows<All, Get> {
  const internals = query as unknown as SelectInternals;
  const fields = internals.fields;
  const plain = fields?.every(({ path, field }) => path.length <= 2 && !path.includes('__proto__') && (is(field, Column) || is(field, SQL)));
  if (!fields || !plain || internals.customResultMapper) {
    return { all: (placeholders) => query.all(placeholders), get: (placeholders) => query.get(placeholders) };
  }
  const toRow = rowBuilder(fields as PlainField[], internals.joinsNotNullableMap);
  return {
    all: (placeholders) => query.values(placeholders).map(toRow) as All,
    get: (placeholders) => {
      const first = query.values(placeholders)[0];
      return (first ? toRow(first) : undefined) as Get;
    },
  };
}

type Member = { key: string; index: number; decoder: Decoder };
type Slot = Member | { key: string; members: Member[]; nullWhenMissing?: number };

function decoderOf(field: Column | SQL): Decoder {
  // An sql`` field's decoder is what .mapWith() set, kept where drizzle's own mapping reads it.
  return is(field, Column) ? field : (field as unknown as { decoder: Decoder }).decoder;
}

/** One slot per key of the result, in drizzle's order; a nested object knows which value says its table is missing. */
function slotsOf(fields: PlainField[], joinsNotNullableMap: Record<string, boolean> | undefined): Slot[] {
  const slots: Slot[] = [];
  const objects = new Map<string, Extract<Slot, { members: unknown }>>();
  fields.forEach(({ path, field }, index) => {
    const decoder = decoderOf(field);
    const [key, memberKey] = path as [string, string | undefined];
    if (memberKey === undefined) return slots.push({ key, index, decoder });
    let object = objects.get(key);
    if (!object) {
      objects.set(key, (object = { key, members: [] }));
      slots.push(object);
    }
    object.members.push({ key: memberKey, index, decoder });
  });
  // Drizzle's rule: the object is null when its first column is, if all its columns come from one table that a join
  // may leave out.
  for (const object of objects.values()) {
    const columnIndexes = object.members.map(({ index }) => index).filter((index) => is(fields[index]!.field, Column));
    const tables = new Set(columnIndexes.map((index) => getTableName((fields[index]!.field as Column).table)));
    const [table] = tables;
    if (joinsNotNullableMap && table !== undefined && tables.size === 1 && !joinsNotNullableMap[table]) {
      object.nullWhenMissing = columnIndexes[0];
    }
  }
  return slots;
}

/**
 * The row as one object literal written out for this query, e.g. `(v) => ({ "id": …, "body": … })`, where each value
 * passes its own decoder unless it is null (drizzle's rule). A loop over the slots stored every key of every query
 * through one shared property store and called every decoder from one place, and took three times as long: 38 against
 * 12 µs for the 100 messages of a thread, in a loop. The keys are the query's own field names, written as JSON strings.
 */
function rowBuilder(fields: PlainField[], joinsNotNullableMap: Record<string, boolean> | undefined): (values: unknown[]) => Record<string, unknown> {
  const decoders: Decoder[] = [];
  const property = ({ key, index, decoder }: Member) => {
    const at = decoders.push(decoder) - 1;
    return `${JSON.stringify(key)}: v[${index}] === null ? null : d[${at}].mapFromDriverValue(v[${index}])`;
  };
  const properties = slotsOf(fields, joinsNotNullableMap).map((slot) => {
    if ('index' in slot) return property(slot);
    const object = `{ ${slot.members.map(property).join(', ')} }`;
    return `${JSON.stringify(slot.key)}: ${slot.nullWhenMissing === undefined ? object : `v[${slot.nullWhenMissing}] === null ? null : ${object}`}`;
  });
  const build = new Function('d', `return (v) => ({ ${properties.join(', ')} });`) as (decoders: Decoder[]) => (values: unknown[]) => Record<string, unknown>;
  return build(decoders);
}
