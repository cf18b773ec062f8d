/**
 * Which fields a client selected under a connection's `edges { node { … } }`, following fragments, so a scan
 * reads only the columns the client asked for.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function childFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, out: FieldNode[] = []): FieldNode[] {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) childFields(sel.selectionSet, info, out);
    else {
      const fragment = info.fragments[sel.name.value];
      if (fragment) childFields(fragment.selectionSet, info, out);
    }
  }
  return out;
}

/** Names of fields selected on `edges.node` of the current field (all merged field nodes considered). */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  for (const field of info.fieldNodes) {
    for (const edges of childFields(field.selectionSet, info).filter((f) => f.name.value === 'edges')) {
      for (const node of childFields(edges.selectionSet, info).filter((f) => f.name.value === 'node')) {
        for (const f of childFields(node.selectionSet, info)) names.add(f.name.value);
      }
    }
  }
  return names;
}
