/**
 * The slice of the ONNX schema (onnx.proto, IR version 8) that an inference graph needs:
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto.
 * Field numbers are the ones in onnx/onnx.proto; only the fields we write are listed.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

/** A tensor held as its little-endian raw bytes (TensorProto.raw_data). */
export interface TensorDef {
  name: string;
  dataType: DataTypeId;
  dims: readonly number[];
  raw: Uint8Array;
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorDef };

export interface NodeDef {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A graph input or output: a tensor type whose dims are numbers or symbolic names. */
export interface ValueInfoDef {
  name: string;
  elemType: DataTypeId;
  shape: ReadonlyArray<number | string>;
}

export interface GraphDef {
  name: string;
  nodes: readonly NodeDef[];
  initializers: readonly TensorDef[];
  inputs: readonly ValueInfoDef[];
  outputs: readonly ValueInfoDef[];
}

export interface ModelDef {
  graph: GraphDef;
  /** default-domain opset version */
  opset: number;
  /** extra opset imports, e.g. { domain: 'com.microsoft', version: 1 } */
  extraOpsets?: ReadonlyArray<{ domain: string; version: number }>;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_TENSOR = 4;
const ATTR_INTS = 7;

/** IR version 8 is what opset 17 (LayerNormalization) needs; onnxruntime 1.14+ reads it. */
const IR_VERSION = 8;

export function encodeTensor(t: TensorDef): ProtoWriter {
  const w = new ProtoWriter();
  w.packedVarints(1, t.dims); // dims
  w.varint(2, t.dataType); // data_type
  w.string(8, t.name); // name
  w.bytes(9, t.raw); // raw_data
  return w;
}

function encodeAttribute(name: string, a: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  // the value, in the field of its kind, then AttributeProto.type (field 20)
  switch (a.kind) {
    case 'float': return w.float(2, a.value).varint(20, ATTR_FLOAT);
    case 'int': return w.varint(3, a.value).varint(20, ATTR_INT);
    case 'string': return w.string(4, a.value).varint(20, ATTR_STRING);
    case 'tensor': return w.message(5, encodeTensor(a.value)).varint(20, ATTR_TENSOR);
    case 'ints': return w.packedVarints(8, a.value).varint(20, ATTR_INTS);
  }
}

function encodeNode(n: NodeDef): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(k, v));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function encodeValueInfo(v: ValueInfoDef): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().varint(1, v.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

export function encodeGraph(g: GraphDef): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const i of g.inputs) w.message(11, encodeValueInfo(i));
  for (const o of g.outputs) w.message(12, encodeValueInfo(o));
  return w;
}

/** Serialises a model; write `parts()` to a file, or `finish()` for one buffer. */
export function encodeModel(m: ModelDef): ProtoWriter {
  const w = new ProtoWriter();
  w.varint(1, IR_VERSION);
  if (m.producerName) w.string(2, m.producerName);
  if (m.producerVersion) w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, encodeGraph(m.graph));
  w.message(8, new ProtoWriter().string(1, '').varint(2, m.opset));
  for (const o of m.extraOpsets ?? []) w.message(8, new ProtoWriter().string(1, o.domain).varint(2, o.version));
  for (const [k, v] of Object.entries(m.metadata ?? {})) {
    w.message(14, new ProtoWriter().string(1, k).string(2, v));
  }
  return w;
}
