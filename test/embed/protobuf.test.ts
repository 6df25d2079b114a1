/** The protobuf writer and the ONNX encoder, checked byte by byte and by onnxruntime loading the result. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../../src/embed/onnx/graphBuilder.js';
import { DataType, encodeModel } from '../../src/embed/onnx/onnxProto.js';
import { encodeVarint, ProtoWriter } from '../../src/embed/onnx/protobuf.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('varints', () => {
  assert.equal(hex(encodeVarint(0)), '00');
  assert.equal(hex(encodeVarint(1)), '01');
  assert.equal(hex(encodeVarint(127)), '7f');
  assert.equal(hex(encodeVarint(128)), '8001');
  assert.equal(hex(encodeVarint(300)), 'ac02');
  assert.equal(hex(encodeVarint(2 ** 40)), '808080808020');
  // negative int64: ten bytes of two's complement
  assert.equal(hex(encodeVarint(-1)), 'ffffffffffffffffff01');
  assert.equal(hex(encodeVarint(-2n)), 'feffffffffffffffff01');
});

test('fields and nested messages (the protobuf documentation examples)', () => {
  assert.equal(hex(new ProtoWriter().varint(1, 150).finish()), '089601');
  assert.equal(hex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67');
  const inner = new ProtoWriter().varint(1, 150);
  assert.equal(hex(new ProtoWriter().message(3, inner).finish()), '1a03089601');
  assert.equal(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish()), '2206038e029ea705');
  assert.equal(hex(new ProtoWriter().float(5, 1).finish()), '2d0000803f');
  const w = new ProtoWriter().varint(1, 1).bytes(2, new Uint8Array(1000));
  assert.equal(w.byteLength, 2 + 1 + 2 + 1000);
  assert.equal(w.finish().length, w.byteLength);
});

/** Reads the top-level fields of a message: field number -> list of raw values. */
function decode(buf: Uint8Array): Map<number, Array<bigint | Uint8Array>> {
  const out = new Map<number, Array<bigint | Uint8Array>>();
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    let val: bigint | Uint8Array;
    if (wire === 0) val = varint();
    else if (wire === 2) {
      const len = Number(varint());
      val = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 5) {
      val = buf.subarray(i, i + 4);
      i += 4;
    } else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), val]);
  }
  return out;
}

function tinyModel(): Uint8Array {
  // y = relu(x * w + b) with a Gemm-free MatMul/Add chain and an int64 attribute
  const g = new GraphBuilder();
  const x = g.name('x');
  const w = g.float('w', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6));
  const b = g.float('b', [3], Float32Array.of(-100, 0, 1));
  const y = g.op('Add', [g.op('MatMul', [x, w], 'xw'), b], 'xwb');
  const out = g.op('Transpose', [g.op('Relu', [y], 'relu')], 'y', { perm: attr.ints([1, 0]) });
  const graph = g.build(
    'tiny',
    [{ name: x, elemType: DataType.FLOAT, shape: ['n', 2] }],
    [{ name: out, elemType: DataType.FLOAT, shape: [3, 'n'] }],
  );
  return encodeModel({ graph, opset: 17, producerName: 'test', metadata: { k: 'v' } }).finish();
}

test('ONNX ModelProto layout', () => {
  const m = decode(tinyModel());
  assert.equal(m.get(1)![0], 8n); // ir_version
  assert.equal(new TextDecoder().decode(m.get(2)![0] as Uint8Array), 'test'); // producer_name
  const opset = decode(m.get(8)![0] as Uint8Array);
  assert.equal(opset.get(2)![0], 17n);
  const graph = decode(m.get(7)![0] as Uint8Array);
  const ops = graph.get(1)!.map((n) => new TextDecoder().decode(decode(n as Uint8Array).get(4)![0] as Uint8Array));
  assert.deepEqual(ops, ['MatMul', 'Add', 'Relu', 'Transpose']);
  assert.equal(graph.get(5)!.length, 2); // initializers
  const w = decode(graph.get(5)![0] as Uint8Array);
  assert.equal((w.get(9)![0] as Uint8Array).length, 24); // raw_data of 6 floats
});

test('onnxruntime loads and runs the encoded model', async () => {
  const s = await ort.InferenceSession.create(tinyModel());
  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 0, 2), [2, 2]) });
  // rows: [1,1]·w = [5,7,9] + b = [-95,7,10] -> relu [0,7,10]; [0,2]·w = [8,10,12] + b = [-92,10,13] -> [0,10,13]
  assert.deepEqual(r.y!.dims, [3, 2]);
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [0, 0, 7, 10, 10, 13]);
  await s.release();
});
