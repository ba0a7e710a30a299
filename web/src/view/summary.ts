// The header summary (how many sensors, how many stale or offline) and the empty-grid message.
import { must, setText } from './dom';

export interface SummaryCounts {
  /** Sensors in the store. */
  total: number;
  /** Of them, those the filter shows. */
  shown: number;
  stale: number;
  offline: number;
}

/** A count in the summary; hidden while it is zero. */
export interface CountText {
  text: string;
  hidden: boolean;
}

export interface SummaryModel {
  total: string;
  stale: CountText;
  offline: CountText;
  /** null: the grid shows tiles, no message. */
  empty: { title: string; hint: string } | null;
}

/** The summary's texts; `query` is the trimmed filter ('' when none). */
export function summaryModel(c: SummaryCounts, query: string): SummaryModel {
  const totalText = `${c.total} sensor${c.total === 1 ? '' : 's'}`;
  return {
    total: query ? `${c.shown} of ${totalText}` : totalText,
    stale: { text: `${c.stale} stale`, hidden: c.stale === 0 },
    offline: { text: `${c.offline} offline`, hidden: c.offline === 0 },
    empty: c.shown > 0 ? null : emptyMessage(c.total, query),
  };
}

function emptyMessage(total: number, query: string): { title: string; hint: string } {
  if (total === 0) {
    return { title: 'Waiting for sensors…', hint: 'Tiles appear here as soon as the bridge receives a reading.' };
  }
  return {
    title: `No sensor matches “${query}”`,
    hint: 'Terms match anywhere in the id; end one with * to match a prefix. Esc clears the filter.',
  };
}

export class SummaryView {
  private readonly total: HTMLElement;
  private readonly stale: HTMLElement;
  private readonly offline: HTMLElement;
  private readonly emptyTitle: HTMLElement;
  private readonly emptyHint: HTMLElement;

  /** summary: #summary with its [data-count] spans; empty: #empty with its title and hint. */
  constructor(
    summary: HTMLElement,
    private readonly empty: HTMLElement,
  ) {
    this.total = must(summary, '[data-count="total"]');
    this.stale = must(summary, '[data-count="stale"]');
    this.offline = must(summary, '[data-count="offline"]');
    this.emptyTitle = must(empty, '.empty-title');
    this.emptyHint = must(empty, '.empty-hint');
  }

  render(m: SummaryModel): void {
    setText(this.total, m.total);
    this.renderCount(this.stale, m.stale);
    this.renderCount(this.offline, m.offline);
    this.empty.hidden = m.empty === null;
    if (m.empty === null) return;
    setText(this.emptyTitle, m.empty.title);
    setText(this.emptyHint, m.empty.hint);
  }

  private renderCount(node: HTMLElement, c: CountText): void {
    node.hidden = c.hidden;
    setText(node, c.text);
  }
}
