// The access-token form: shown when the bridge wants a token, hidden once one is entered.
import { setText } from './dom';

export class AuthView {
  private readonly input: HTMLInputElement;
  private readonly message: HTMLElement;

  constructor(
    private readonly dialog: HTMLDialogElement,
    onToken: (token: string) => void,
  ) {
    const input = dialog.querySelector<HTMLInputElement>('input[name="token"]');
    const message = dialog.querySelector<HTMLElement>('[data-field="auth-message"]');
    const form = dialog.querySelector<HTMLFormElement>('form');
    if (!input || !message || !form) throw new Error('sensor-bridge: the token form is incomplete');
    this.input = input;
    this.message = message;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = this.input.value.trim();
      if (token === '') {
        this.input.focus();
        return;
      }
      this.input.value = '';
      this.hide();
      onToken(token);
    });
    // Escape would leave the page without a way back: keep the form until a token comes.
    dialog.addEventListener('cancel', (e) => e.preventDefault());
  }

  get shown(): boolean {
    return this.dialog.open;
  }

  show(text: string): void {
    setText(this.message, text);
    if (!this.dialog.open) {
      if (typeof this.dialog.showModal === 'function') this.dialog.showModal();
      else this.dialog.setAttribute('open', '');
    }
    this.input.focus();
  }

  hide(): void {
    if (!this.dialog.open) return;
    if (typeof this.dialog.close === 'function') this.dialog.close();
    else this.dialog.removeAttribute('open');
  }
}
