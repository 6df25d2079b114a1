/**
 * The termination guard. `worker.terminate()` (and a process exit) while a worker thread is inside
 * some native addons aborts the whole process ("terminate called after throwing an instance of
 * 'Napi::Error'"): seen with an onnxruntime forward pass or session setup and with hnswlib's
 * addPoint. So a worker marks those calls with `nativeSection`, and the supervisor terminates a
 * worker only outside them (`terminateSafely`): at once when it runs JavaScript (a hung loop), or
 * as soon as the native call returns.
 *
 * One Int32 per worker, shared: FREE ⇄ NATIVE is flipped by the worker, FREE → TERMINATING by the
 * supervisor (compare-and-swap on both sides, so a worker can never enter a native call once
 * termination has begun).
 */
import { isMainThread, type Worker, workerData } from 'node:worker_threads';
import { GUARD_FREE, GUARD_NATIVE, GUARD_TERMINATING, type WorkerEnvelope } from './protocol.js';

const guard: Int32Array | null = guardOfThisThread();
let depth = 0;

function guardOfThisThread(): Int32Array | null {
  if (isMainThread) return null;
  const env = workerData as Partial<WorkerEnvelope> | null;
  return env && env.guard instanceof SharedArrayBuffer ? new Int32Array(env.guard) : null;
}

function enter(): void {
  if (depth === 0 && guard) {
    const prev = Atomics.compareExchange(guard, 0, GUARD_FREE, GUARD_NATIVE);
    if (prev === GUARD_TERMINATING) throw new Error('worker is being terminated; not starting a native call');
  }
  depth++;
}

function leave(): void {
  if (--depth === 0 && guard) {
    Atomics.store(guard, 0, GUARD_FREE);
    Atomics.notify(guard, 0);
  }
}

/**
 * Runs `fn` (sync or async) with termination deferred until it returns or settles. A no-op
 * outside a supervised worker (main thread, plain workers), so shared code may use it freely.
 */
export function nativeSection<T>(fn: () => T): T {
  if (!guard) return fn();
  enter();
  let pending = false;
  try {
    const r = fn();
    if (r instanceof Promise) {
      pending = true;
      return r.finally(leave) as T;
    }
    return r;
  } finally {
    if (!pending) leave();
  }
}

type WaitAsync = (a: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Terminates `worker` once it is outside any native section (main side). `exited` settles when
 * the worker's thread has ended (so a worker that died inside a section is not waited for).
 */
export async function terminateSafely(worker: Worker, guardBuffer: SharedArrayBuffer, exited: Promise<void>): Promise<void> {
  const g = new Int32Array(guardBuffer);
  worker.ref(); // until it is gone: an exit while it runs a native call would abort too
  for (;;) {
    if (Atomics.compareExchange(g, 0, GUARD_FREE, GUARD_TERMINATING) !== GUARD_NATIVE) break;
    const w = waitAsync(g, 0, GUARD_NATIVE);
    if (!w.async) continue;
    const gone = await Promise.race([(w.value as Promise<string>).then(() => false), exited.then(() => true)]);
    if (gone) return;
  }
  await worker.terminate();
}
