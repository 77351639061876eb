import type { ManifestOrder, ManifestSession } from '@streamtune/reference-model';
import type { PlannedSend, Planner } from './plan';

/** A binary min-heap of sends by (sendAt, seq). */
class SendHeap {
  private readonly items: PlannedSend[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PlannedSend | undefined {
    return this.items[0];
  }

  push(item: PlannedSend): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): PlannedSend | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: PlannedSend, y: PlannedSend): boolean {
  return x.sendAt < y.sendAt || (x.sendAt === y.sendAt && x.seq < y.seq);
}

/**
 * Merges the planner's units into one stream of sends in send-time order,
 * planning lazily, so a long run never holds more than the events in flight.
 */
export class SendSchedule {
  private readonly heap = new SendHeap();

  constructor(
    private readonly planner: Planner,
    private readonly onManifest: (line: ManifestOrder | ManifestSession) => void = () => undefined,
  ) {}

  /** Send time of the next send, or undefined when the run is over. */
  peekAt(): number | undefined {
    this.fill();
    return this.heap.peek()?.sendAt;
  }

  /** The next send if it is due at `now` (ms offset), planning as needed. */
  takeDue(now: number): PlannedSend | undefined {
    this.fill();
    const top = this.heap.peek();
    return top && top.sendAt <= now ? this.heap.pop() : undefined;
  }

  /** Pending sends (planned, not yet taken). */
  get pending(): number {
    return this.heap.size;
  }

  /** Plans units until the heap's head cannot be preceded by a unit not yet planned. */
  private fill(): void {
    for (;;) {
      const head = this.heap.peek();
      const anchor = this.planner.nextAnchor();
      if (anchor === Infinity || (head && head.sendAt < anchor)) return;
      const unit = this.planner.planNext();
      if (!unit) return;
      unit.manifest.forEach((line) => this.onManifest(line));
      unit.sends.forEach((s) => this.heap.push(s));
    }
  }
}

/** Every send of a plan in order (for tests and dry runs). */
export function drainSchedule(schedule: SendSchedule): PlannedSend[] {
  const out: PlannedSend[] = [];
  for (let s = schedule.takeDue(Infinity); s; s = schedule.takeDue(Infinity)) out.push(s);
  return out;
}
