/**
 * A small helper for writing ONNX graphs by hand: it names intermediate values, collects nodes and
 * initializers, and wraps raw typed arrays as tensors. Each op helper returns the name of its
 * output so graph code reads like the maths it implements.
 */
import { DataType, type AttributeValue, type DataTypeId, type GraphDef, type NodeDef, type TensorDef, type ValueInfoDef } from './onnxProto.js';

type Attrs = Record<string, AttributeValue>;

function bytesOf(a: Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
};

export class GraphBuilder {
  private readonly nodes: NodeDef[] = [];
  private readonly inits: TensorDef[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** A fresh value name derived from a hint. */
  name(hint: string): string {
    let n = hint;
    while (this.used.has(n)) n = `${hint}_${++this.counter}`;
    this.used.add(n);
    return n;
  }

  /** Adds a node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], hint: string, attributes?: Attrs, domain?: string): string {
    const out = this.name(hint);
    this.nodes.push({ opType, inputs, outputs: [out], name: `${opType}_${out}`, attributes, domain });
    return out;
  }

  /** Adds a node with several outputs; returns their names. */
  opMulti(opType: string, inputs: readonly string[], hints: readonly string[], attributes?: Attrs, domain?: string): string[] {
    const outs = hints.map((h) => this.name(h));
    this.nodes.push({ opType, inputs, outputs: outs, name: `${opType}_${outs[0]}`, attributes, domain });
    return outs;
  }

  private init(hint: string, dataType: DataTypeId, dims: readonly number[], raw: Uint8Array): string {
    const n = this.name(hint);
    this.inits.push({ name: n, dataType, dims, raw });
    return n;
  }

  float(hint: string, dims: readonly number[], data: Float32Array): string {
    return this.init(hint, DataType.FLOAT, dims, bytesOf(data));
  }

  int8(hint: string, dims: readonly number[], data: Int8Array): string {
    return this.init(hint, DataType.INT8, dims, bytesOf(data));
  }

  int64(hint: string, dims: readonly number[], values: readonly number[]): string {
    return this.init(hint, DataType.INT64, dims, bytesOf(BigInt64Array.from(values.map((v) => BigInt(v)))));
  }

  /** A float scalar constant (rank 0). */
  scalar(hint: string, value: number): string {
    return this.float(hint, [], Float32Array.of(value));
  }

  build(name: string, inputs: readonly ValueInfoDef[], outputs: readonly ValueInfoDef[]): GraphDef {
    return { name, nodes: this.nodes, initializers: this.inits, inputs, outputs };
  }
}
