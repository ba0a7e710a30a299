// src/wire.gen.ts is generated from schemas/ (npm run gen:types) and committed. These tests
// regenerate it in memory: a schema changed without regenerating, or a hand edit of the
// generated file, fails here.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWireTypes, outputFile, schemaDir } from '../../scripts/gen-wire-types.mjs';

describe('src/wire.gen.ts', () => {
  it('is what the schemas generate today (else: npm run gen:types)', async () => {
    const committed = readFileSync(outputFile, 'utf8');
    expect(await generateWireTypes(), 'src/wire.gen.ts is out of date: run `npm run gen:types` in web/').toBe(committed);
  });

  it('declares every wire type the dashboard uses, with the optional fields', () => {
    const text = readFileSync(outputFile, 'utf8');
    for (const name of ['SensorReading', 'ServerMessage', 'ClientMessage', 'SensorStatusPayload', 'SensorList', 'SensorHistory', 'HealthReport', 'StatsReport', 'RestError']) {
      expect(text).toMatch(new RegExp(`^export (interface|type) ${name}\\b`, 'm'));
    }
    expect(text).toMatch(/^ {2}gap\?: true;$/m);
    expect(text).toMatch(/^ {2}status\?: SensorStatus;$/m);
    expect(text).toMatch(/^ {2}since\?: number;$/m);
    expect(text).toMatch(/^ {2}maxRateHz\?: number;$/m);
  });

  it('changes when a schema changes, so the check above can fail', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-schemas-'));
    try {
      cpSync(schemaDir, dir, { recursive: true });
      const file = path.join(dir, 'sensor-reading.schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
      schema.properties['battery'] = { type: 'number' };
      writeFileSync(file, JSON.stringify(schema));
      const changed = await generateWireTypes(dir);
      expect(changed).not.toBe(readFileSync(outputFile, 'utf8'));
      expect(changed).toMatch(/^ {2}battery\?: number;$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
