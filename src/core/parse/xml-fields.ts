// The channel (RSS) or feed (Atom) element, or an item, as the mapping code reads it:
// children by canonical name (see xml-names.ts), attributes under "$".

/** An element of xml-tree.ts seen as a record of child lists. */
export type Raw = Record<string, unknown>;

export const raw = (obj: Raw, name: string): unknown => obj[name];
