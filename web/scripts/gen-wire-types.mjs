// Generates src/wire.gen.ts, the TypeScript types of every wire format, from ../schemas/*.json
// with json-schema-to-typescript. `npm run gen:types` writes the file; tests/unit/wire_types.test.ts
// regenerates it in memory and fails when the committed file differs, so types cannot drift.
//
// The schema files are compiled as one document (so a type used by several, SensorReading, is
// declared once); the names below are given to their parts in memory: the files stay as they are.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaDir = path.resolve(webDir, '../schemas');
export const outputFile = path.join(webDir, 'src/wire.gen.ts');

/** Schema file -> exported type name, and JSON pointers inside it -> names of their parts. */
const NAMES = {
  'sensor-reading.schema.json': {
    '': 'SensorReading',
    '/properties/value': 'ReadingValue',
    '/properties/status': 'SensorStatus',
  },
  'ws-server-message.schema.json': {
    '': 'ServerMessage',
    '/definitions/correlationId': 'ServerCorrelationId',
    '/definitions/connected': 'ConnectedMessage',
    '/definitions/authenticated': 'AuthenticatedMessage',
    '/definitions/roomAck': 'RoomAckMessage',
    '/definitions/reading': 'ReadingMessage',
    '/definitions/status': 'StatusMessage',
    '/definitions/status/properties/payload': 'SensorStatusPayload',
    '/definitions/pong': 'PongMessage',
    '/definitions/error': 'ErrorMessage',
    '/definitions/error/properties/payload/properties/code': 'ErrorCode',
  },
  'ws-client-message.schema.json': {
    '': 'ClientMessage',
    '/definitions/correlationId': 'ClientCorrelationId',
    '/definitions/room': 'Room',
    '/definitions/roomRequest': 'RoomRequestMessage',
    '/definitions/roomRequest/properties/payload': 'RoomRequestPayload',
    '/definitions/ping': 'PingMessage',
    '/definitions/auth': 'AuthMessage',
  },
  'rest-sensors.schema.json': { '': 'SensorList' },
  'rest-history.schema.json': { '': 'SensorHistory' },
  'rest-series.schema.json': { '': 'SensorSeries' },
  'rest-health.schema.json': { '': 'HealthReport' },
  'rest-stats.schema.json': { '': 'StatsReport' },
  'rest-error.schema.json': { '': 'RestError' },
};

const HEADER = `// GENERATED FILE, do not edit: \`npm run gen:types\` (web/scripts/gen-wire-types.mjs) writes it
// from schemas/*.schema.json with json-schema-to-typescript. Change the schemas, then regenerate;
// tests/unit/wire_types.test.ts fails while this file and the schemas disagree.
// Hand-written guards and parsing on top of these types: src/protocol.ts.
`;

function at(node, pointer) {
  return pointer
    .split('/')
    .slice(1)
    .reduce((n, key) => {
      if (n === undefined || n[key] === undefined) throw new Error(`gen-wire-types: no ${pointer}`);
      return n[key];
    }, node);
}

/** Rewrites $refs so that every file lives under #/definitions/<its type name>. */
function rebase(node, own, nameOf) {
  if (Array.isArray(node)) return node.map((n) => rebase(n, own, nameOf));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') {
      const [file, pointer = ''] = value.split('#');
      const target = file === '' ? own : nameOf(file);
      out.$ref = `#/definitions/${target}${pointer}`;
    } else if (key !== '$schema' && key !== '$id') {
      out[key] = rebase(value, own, nameOf);
    }
  }
  return out;
}

/** The whole of schemas/ as one schema: a WireSchemas object with one property per file. */
export function combinedSchema(dir = schemaDir) {
  const nameOf = (file) => {
    const names = NAMES[file];
    if (!names) throw new Error(`gen-wire-types: ${file} has no name in NAMES`);
    return names[''];
  };
  const definitions = {};
  const properties = {};
  for (const [file, names] of Object.entries(NAMES)) {
    const own = names[''];
    const schema = rebase(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), own, nameOf);
    for (const [pointer, name] of Object.entries(names)) at(schema, pointer).title = name;
    definitions[own] = schema;
    properties[file] = { $ref: `#/definitions/${own}` };
  }
  return {
    title: 'WireSchemas',
    description: 'Each schema file of schemas/ and the type it is exported as.',
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    definitions,
  };
}

/** The text of src/wire.gen.ts. */
export async function generateWireTypes(dir = schemaDir) {
  const body = await compile(combinedSchema(dir), 'WireSchemas', {
    bannerComment: '',
    // Objects without "additionalProperties" are closed here: the client reads the fields the
    // schemas name; the guards in protocol.ts still tolerate extra fields from a newer bridge.
    additionalProperties: false,
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  return `${HEADER}\n${body}`;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  writeFileSync(outputFile, await generateWireTypes());
  console.log(`gen-wire-types: wrote ${path.relative(process.cwd(), outputFile)}`);
}
