/**
 * PyTorch BERT weights (safetensors + config.json) -> ONNX files transformers.js can load, written
 * in Node alone (no torch, no Python): the whole converter is a protobuf writer and a hand-written
 * graph.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { encodeModel } from '../onnx/onnxProto.js';
import { buildBertModel, type BuildOptions, type GraphDtype } from './bertGraph.js';
import { loadBertWeights, parseBertConfig, type BertWeights } from './bertWeights.js';
import { parseSafetensors } from './safetensors.js';

export function readBertWeights(safetensors: Uint8Array, configJson: string): BertWeights {
  return loadBertWeights(parseSafetensors(safetensors), parseBertConfig(JSON.parse(configJson)));
}

/** Serialises the model for `dtype` and writes it to `outPath` atomically (temp file + rename). */
export function writeBertOnnx(weights: BertWeights, dtype: GraphDtype, outPath: string, source: string, opts: BuildOptions = {}): number {
  const model = buildBertModel(weights, dtype, { docString: `BERT encoder converted by topicstream from ${source} (${dtype})`, ...opts });
  const proto = encodeModel(model);
  const tmp = `${outPath}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeCoalesced(fd, proto.parts());
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, outPath);
  return proto.byteLength;
}

/** Writes many chunks with few syscalls: small ones are gathered in a staging buffer. */
function writeCoalesced(fd: number, parts: readonly Uint8Array[]): void {
  const stage = new Uint8Array(1 << 20);
  let used = 0;
  const flush = () => {
    if (used > 0) writeSync(fd, stage, 0, used);
    used = 0;
  };
  for (const part of parts) {
    if (part.length > stage.length / 4) {
      flush();
      writeSync(fd, part);
      continue;
    }
    if (used + part.length > stage.length) flush();
    stage.set(part, used);
    used += part.length;
  }
  flush();
}
