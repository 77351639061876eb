import type { RunStats } from '@streamtune/perf';

/** A playbook step's claim, as one figure of one variant against another. */
export interface Lesson {
  figure: string;
  variant: string;
  than: string;
  expect: 'lower' | 'higher';
  /** What it says when shown, in a reader's words. */
  claim: string;
}

export interface LessonVerdict {
  lesson: Lesson;
  shown: boolean;
  why: string;
}

/** A run counted in the tables: it started on a quiet machine (1-minute load at most 1.0). */
export const QUIET_LOAD = 1.0;

export function isNoisy(run: { figures: Record<string, number | undefined> }): boolean {
  const load = run.figures.loadAverage1mAtStart;
  return load === undefined || load > QUIET_LOAD;
}

/**
 * "Lesson shown" is yes only when the two variants' ranges (min–max over the counted runs)
 * do not overlap and lie the way the lesson says: a difference within the spread of
 * repeated runs is not a finding, however the medians fall.
 */
export function judge(lesson: Lesson, summary: Record<string, Record<string, RunStats>>): LessonVerdict {
  const a = summary[lesson.variant]?.[lesson.figure];
  const b = summary[lesson.than]?.[lesson.figure];
  if (!a || !b) return { lesson, shown: false, why: 'not measured in the counted runs' };
  if (a.n < 2 || b.n < 2)
    return { lesson, shown: false, why: `${Math.min(a.n, b.n)} counted run(s) of a variant: no range` };
  const lower = a.max < b.min;
  const higher = a.min > b.max;
  if (!lower && !higher) return { lesson, shown: false, why: 'the ranges overlap' };
  if ((lesson.expect === 'lower') !== lower)
    return { lesson, shown: false, why: `the ranges are apart, the other way round than the lesson says` };
  return { lesson, shown: true, why: 'the ranges do not overlap' };
}
