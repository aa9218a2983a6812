import {
  createProgress,
  type Progress,
  type ProgressStream,
} from '../subgraphs/kit/src/progress/progress.js';
import type { ReindexReport } from '../search/src/pipeline/SearchIndexer.js';

/**
 * Draws each full search reindex on `stream` as it goes: a bar on a
 * terminal, else a line at most once a second and one when it ends
 * (`govgraph: search reindex riskItems: 12000/48000 documents (25%),
 * 4100/s, ETA 9 s`) — documents done of all, the rate, the time left.
 */
export function reindexProgressPrinter(
  stream: ProgressStream,
  prefix = '',
): (report: ReindexReport) => void {
  const running = new Map<string, Progress>();
  return (report) => {
    let progress = running.get(report.collection);
    if (progress === undefined) {
      progress = createProgress({
        label: `search reindex ${report.collection}`,
        unit: 'documents',
        total: report.total,
        stream,
        prefix,
        startedAgoMs: report.elapsedMs,
        // The reports come about once a second already.
        intervalMs: 0,
      });
      running.set(report.collection, progress);
    }
    progress.update(report.indexed);
    if (report.finished) {
      progress.finish();
      running.delete(report.collection);
    }
  };
}
