// The connection indicator: live / reconnecting in N s / offline.
import type { ConnectionStatus } from '../connection_status';
import { setAttr, setText } from './dom';

export function connectionText(s: ConnectionStatus, now: number): string {
  if (s.state === 'open') return 'live';
  if (s.state === 'closed') return 'offline';
  if (s.retryAt === null) return 'connecting…';
  const secs = Math.ceil((s.retryAt - now) / 1000);
  return secs > 0 ? `reconnecting in ${secs} s` : 'reconnecting…';
}

export class ConnectionView {
  private status: ConnectionStatus | null = null;

  constructor(
    private readonly root: HTMLButtonElement,
    private readonly text: HTMLElement,
    private readonly announcer: HTMLElement,
    onRetry: () => void,
  ) {
    root.addEventListener('click', () => {
      if (this.status?.state !== 'open') onRetry();
    });
  }

  render(s: ConnectionStatus, now: number): void {
    const prev = this.status;
    this.status = s;
    setAttr(this.root, 'data-connection-state', s.state);
    this.tick(now);
    const title = s.state === 'open' ? 'Connected to the bridge' : `Not connected: ${s.reason || 'waiting'} — click to retry now`;
    setAttr(this.root, 'title', title);
    // Announce state changes only, not the countdown.
    if (prev?.state !== s.state) {
      setText(this.announcer, s.state === 'open' ? 'Connected, live' : s.state === 'closed' ? 'Offline' : 'Connection lost, reconnecting');
    }
  }

  tick(now: number): void {
    if (this.status) setText(this.text, connectionText(this.status, now));
  }
}
