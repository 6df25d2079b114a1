/**
 * PUT /api/topics/:id/label with {"label": "..."} sets a topic's user label; DELETE goes back to
 * the automatic one. Behind the token (when set), bodies up to LABEL_BODY_MAX_BYTES.
 */
import { checkLabel } from '../stream/topicLabels.js';
import { sendError, sendJson } from './respond.js';
import type { ApiContext, Route, RouteCall } from './types.js';

/** A label is at most 80 characters; its JSON body fits well in this. */
export const LABEL_BODY_MAX_BYTES = 4096;

/** The label a PUT body carries, or why it is refused. */
function labelOf(body: Buffer | undefined): { ok: true; label: string } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    return { ok: false, message: 'the body must be JSON: {"label": "<1 to 80 characters>"}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('label' in parsed)) {
    return { ok: false, message: 'the body must be a JSON object with a "label" field' };
  }
  return checkLabel((parsed as { label: unknown }).label);
}

async function setLabel(ctx: ApiContext, { res, params, method, body }: RouteCall): Promise<void> {
  const id = Number(params[0]);
  if (!Number.isSafeInteger(id)) return sendError(res, 404, `no topic ${params[0]!.slice(0, 40)}`);
  let label: string | null = null;
  if (method === 'PUT') {
    const parsed = labelOf(body);
    if (!parsed.ok) return sendError(res, 400, parsed.message);
    label = parsed.label;
  }
  const t = await ctx.setLabel(id, label);
  if (t) sendJson(res, 200, t);
  else sendError(res, 404, `no topic ${params[0]!.slice(0, 40)}`);
}

export function labelRoute(ctx: ApiContext): Route {
  return { access: 'token', methods: ['PUT', 'DELETE'], maxBodyBytes: LABEL_BODY_MAX_BYTES, handle: (c) => setLabel(ctx, c) };
}
