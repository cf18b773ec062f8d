/**
 * The stable code a call fails with: `code` of a DeltaError (or any error carrying one) or `extensions.code` of a
 * GraphQLError; undefined when the call does not fail, so `expect(codeOf(...)).toBe('X')` fails loudly then.
 */
function codeIn(e: unknown): string | undefined {
  const err = e as { code?: unknown; extensions?: { code?: unknown } };
  const code = err?.code ?? err?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return codeIn(e);
  }
  return undefined;
}

export async function codeOfAsync(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return codeIn(e);
  }
  return undefined;
}
