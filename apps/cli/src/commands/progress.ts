/** A progress line on stderr (only when it is a terminal): rows, rows/s, percent of bytes and ETA. */
export interface ProgressReport {
  phase: string;
  rows: number;
  doneBytes: number;
  totalBytes: number;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let shown = false;
  return {
    update(p: ProgressReport) {
      if (!stream.isTTY) return;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const rate = p.rows / seconds;
      const fraction = p.totalBytes > 0 ? Math.min(p.doneBytes / p.totalBytes, 1) : 0;
      const width = 24;
      const filled = Math.round(fraction * width);
      const eta = fraction > 0.01 ? (seconds / fraction) * (1 - fraction) : NaN;
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${p.rows.toLocaleString('en')} rows ${Math.round(rate).toLocaleString('en')} rows/s ETA ${Number.isFinite(eta) ? `${Math.ceil(eta)}s` : '?'} (${p.phase})`;
      stream.write(`\r${line.padEnd(100)}`);
      shown = true;
    },
    done() {
      if (shown && stream.isTTY) stream.write('\n');
    },
  };
}
