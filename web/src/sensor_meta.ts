// What a sensor's Home Assistant discovery config says about it (docs/PROTOCOL.md §1, §3):
// its name, device class and device. Readings carry it while a config is known; sensor.meta
// announces a change. Absent fields mean "not (or no longer) known". Pure.
import type { SensorMetaPayload, SensorReading } from './protocol';

export interface DeviceRef {
  id?: string;
  name?: string;
}

export interface SensorMeta {
  name?: string;
  deviceClass?: string;
  device?: DeviceRef;
}

/** Nothing known: a sensor without a discovery config. */
export const NO_META: SensorMeta = Object.freeze({});

/** The meta fields of a reading or a sensor.meta payload; empty strings count as absent. */
export function metaOf(src: SensorReading | SensorMetaPayload): SensorMeta {
  const meta: SensorMeta = {};
  if (src.name) meta.name = src.name;
  if (src.deviceClass) meta.deviceClass = src.deviceClass;
  const device: DeviceRef = {};
  if (src.device?.id) device.id = src.device.id;
  if (src.device?.name) device.name = src.device.name;
  if (device.id !== undefined || device.name !== undefined) meta.device = device;
  return meta;
}

export function sameMeta(a: SensorMeta, b: SensorMeta): boolean {
  return (
    a.name === b.name &&
    a.deviceClass === b.deviceClass &&
    a.device?.id === b.device?.id &&
    a.device?.name === b.device?.name
  );
}
