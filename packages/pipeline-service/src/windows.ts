import type { JoinWindows as PipelineWindows, OutputTopic } from '@streamtune/reference-model';
import { JoinWindows } from '@streamtune/streams';

/** The runtime's JoinWindows for one of the pipeline's joins, named by its output. */
export function joinWindowsOf(windows: PipelineWindows, output: OutputTopic): JoinWindows {
  const w = windows[output];
  return JoinWindows.ofTimeDifferenceAndGrace(w.windowMs, w.graceMs);
}
