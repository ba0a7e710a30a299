// The filter field: typing filters, Esc clears it, and `/` anywhere else on the page focuses it.

export class FilterBox {
  private current = '';

  /**
   * onChange gets the field's raw value on every change; `/` is left alone while
   * shortcutBlocked() (a dialog is open).
   */
  constructor(
    private readonly input: HTMLInputElement,
    doc: Document,
    private readonly onChange: (query: string) => void,
    shortcutBlocked: () => boolean,
  ) {
    input.addEventListener('input', () => this.apply(input.value));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && input.value !== '') {
        e.preventDefault();
        input.value = '';
        this.apply('');
      }
    });
    doc.addEventListener('keydown', (e) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === '/' && !typing && !shortcutBlocked() && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  /** The filter in force, trimmed ('' for none). */
  get query(): string {
    return this.current;
  }

  private apply(value: string): void {
    this.current = value.trim();
    this.onChange(value);
  }
}
