/**
 * Typed per-table fields generated from each table's Delta schema: an object type per table (nested structs as
 * their own types), a `where` input with per-column filters fitting the type plus and/or/not, an `orderBy`
 * input, and a root connection field with Relay paging and `asOf` time travel.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { DataType, StructField } from '../../delta/index.ts';
import { graphqlScalarFor } from '../../resolvers/column-types.ts';
import { rowsConnection, type RowsArgs } from '../../resolvers/table-rows.ts';
import type { Builder } from '../builder.ts';
import { addAsOfInput, toAsOf } from '../common/as-of.ts';
import { addConnection } from '../common/connection.ts';
import { filterInputs, sortDirection, type FilterScalar } from './filter-inputs.ts';
import { graphqlFieldNames } from './graphql-names.ts';
import { selectedNodeFields } from './selection.ts';
import type { TypedTableRefs } from './table-changes.ts';
import type { TypedTableSpec } from './typed-tables.ts';

type Row = Record<string, unknown>;

/** Object type for a struct: one field per struct field, under GraphQL-safe names. */
function structType(builder: Builder, typeName: string, fields: readonly StructField[]) {
  const names = graphqlFieldNames(fields.map((f) => f.name));
  return builder.objectRef<Row>(typeName).implement({
    fields: (t) =>
      Object.fromEntries(
        fields.map((f, i) => {
          const gqlName = names[i]!;
          const nullable = f.type.kind === 'array' ? { list: true, items: true } : true;
          return [gqlName, t.field({ type: outputType(builder, `${typeName}_${gqlName}`, f.type) as never, nullable: nullable as never, resolve: (row) => (row[f.name] ?? null) as never })];
        }),
      ),
  });
}

function outputType(builder: Builder, typeName: string, type: DataType): unknown {
  if (type.kind === 'struct') return structType(builder, typeName, type.fields);
  // Nested lists are served as JSON; one level of list keeps its element type.
  if (type.kind === 'array') return type.elementType.kind === 'array' ? 'JSON' : [outputType(builder, typeName, type.elementType)];
  return graphqlScalarFor(type) ?? 'JSON';
}

function filterScalarFor(type: DataType): FilterScalar | undefined {
  const scalar = graphqlScalarFor(type);
  return scalar === undefined || scalar === 'JSON' ? undefined : scalar;
}

/** A table's columns under their GraphQL names (the same names in the row type, `where` and `orderBy`). */
interface NamedColumn {
  gqlName: string;
  field: StructField;
}

/** `<Prefix>Where`: a filter per filterable column, and/or/not; `whereColumns` maps its fields to columns. */
function whereInput(builder: Builder, spec: TypedTableSpec, columns: readonly NamedColumn[]) {
  const filters = filterInputs(builder);
  const whereColumns = new Map<string, string>();
  const WhereRef = builder.inputRef<Row>(`${spec.typePrefix}Where`);
  WhereRef.implement({
    description: `Row filter of table ${spec.name}: every given column condition must hold.`,
    fields: (t) => ({
      ...Object.fromEntries(
        columns.flatMap(({ gqlName, field }) => {
          const scalar = filterScalarFor(field.type);
          if (!scalar) return [];
          whereColumns.set(gqlName, field.name);
          return [[gqlName, t.field({ type: filters[scalar] })]];
        }),
      ),
      and: t.field({ type: [WhereRef] }),
      or: t.field({ type: [WhereRef] }),
      not: t.field({ type: WhereRef }),
    }),
  });
  return { WhereRef, whereColumns };
}

/** `<Prefix>OrderBy { field: <Prefix>Column, direction }` over the sortable (scalar) columns. */
function orderByInput(builder: Builder, spec: TypedTableSpec, columns: readonly NamedColumn[]) {
  const sortable = columns.filter(({ field }) => filterScalarFor(field.type) !== undefined);
  const ColumnEnum = builder.enumType(`${spec.typePrefix}Column`, {
    values: Object.fromEntries(sortable.map(({ gqlName, field }) => [gqlName, { value: field.name }])),
  });
  return builder.inputType(`${spec.typePrefix}OrderBy`, {
    fields: (t) => ({
      field: t.field({ type: ColumnEnum, required: true }),
      direction: t.field({ type: sortDirection(builder), defaultValue: 'asc' }),
    }),
  });
}

/** Adds the types and the root field of one table; returns its row type and where input (for other fields). */
export function addTypedTable(builder: Builder, spec: TypedTableSpec): TypedTableRefs {
  const fields = spec.schema.fields;
  const names = graphqlFieldNames(fields.map((f) => f.name));
  const columns = fields.map((field, i) => ({ gqlName: names[i]!, field }));
  const columnOf = new Map(columns.map(({ gqlName, field }) => [gqlName, field.name]));
  const RowType = structType(builder, `${spec.typePrefix}Row`, fields);
  const { WhereRef, whereColumns } = whereInput(builder, spec, columns);
  const OrderBy = orderByInput(builder, spec, columns);
  const { Connection } = addConnection(builder, `${spec.typePrefix}Row`, RowType);
  builder.queryField(spec.fieldName, (t) =>
    t.field({
      type: Connection,
      description: `Rows of table \`${spec.name}\`, filtered, ordered and paged (Relay). Cursors pin the table version.`,
      args: {
        where: t.arg({ type: WhereRef }),
        orderBy: t.arg({ type: [OrderBy] }),
        first: t.arg.int(),
        after: t.arg.string(),
        last: t.arg.int(),
        before: t.arg.string(),
        asOf: t.arg({ type: addAsOfInput(builder) }),
      },
      resolve: (_root, args, ctx, info: GraphQLResolveInfo) => {
        const selected = [...selectedNodeFields(info)].map((n) => columnOf.get(n)).filter((c): c is string => c !== undefined);
        return rowsConnection(ctx, spec.name, { ...(args as unknown as RowsArgs), asOf: toAsOf(args.asOf) }, {
          whereColumns,
          columns: selected,
        });
      },
    }),
  );
  return { RowType, WhereRef, whereColumns };
}
