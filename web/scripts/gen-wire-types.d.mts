// Types of gen-wire-types.mjs, for tests/unit/wire_types.test.ts.
export declare const schemaDir: string;
export declare const outputFile: string;
/** schemas/ as one JSON Schema, with the type names given in memory. */
export declare function combinedSchema(dir?: string): Record<string, unknown>;
/** The text src/wire.gen.ts should have. */
export declare function generateWireTypes(dir?: string): Promise<string>;
