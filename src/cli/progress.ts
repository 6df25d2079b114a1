/**
 * Progress on stderr for long CLI work: a redrawn bar on a terminal, and on a pipe or in CI a line
 * at every tenth of the way, so logs stay short.
 */
export interface ProgressBar {
  update(done: number, total?: number): void;
  done(note?: string): void;
}

function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressBar {
  const start = Date.now();
  const tty = Boolean(stream.isTTY);
  let lastDecile = -1;
  let lastDraw = 0;
  let cur = 0;
  let tot = total;
  const draw = (final: boolean, note?: string) => {
    const elapsed = Date.now() - start;
    const frac = tot > 0 ? Math.min(1, cur / tot) : 0;
    const eta = frac > 0 && !final ? ` eta ${fmtDuration((elapsed / frac) * (1 - frac))}` : '';
    const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
    if (tty) {
      const width = 24;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r${label.padEnd(10)} ${bar} ${pct} ${cur}/${tot} ${fmtDuration(elapsed)}${eta}${note ? ' ' + note : ''}\x1b[K${final ? '\n' : ''}`);
    } else {
      stream.write(`${label}: ${pct} (${cur}/${tot}) ${fmtDuration(elapsed)}${eta}${note ? ' ' + note : ''}\n`);
    }
  };
  return {
    update(done: number, newTotal?: number) {
      if (quiet) return;
      cur = done;
      if (newTotal !== undefined) tot = newTotal;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw > 100) {
          lastDraw = now;
          draw(false);
        }
      } else {
        // a line at every tenth of the way, and at least every 30 s so a slow start still shows
        const decile = tot > 0 ? Math.floor((cur / tot) * 10) : 0;
        const now = Date.now();
        if ((decile > lastDecile && decile < 10) || now - lastDraw >= 30_000) {
          lastDecile = Math.max(lastDecile, decile);
          lastDraw = now;
          draw(false);
        }
      }
    },
    done(note?: string) {
      if (quiet) return;
      cur = tot;
      draw(true, note);
    },
  };
}
