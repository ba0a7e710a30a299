// The controller: wires the socket and REST to the store, and the store to the views.
// Readings only mark tiles dirty; the frame scheduler draws each dirty tile once per frame.
import { configureApiAuth, fetchHistory, fetchLatest } from './api';
import { authPrompt, sessionTokenStorage, TokenStore } from './auth';
import { ServerClock } from './clock';
import { dispatchMessage } from './dispatch';
import { compileFilter } from './filter';
import { roomForAll, type SensorReading, type ServerMessage } from './protocol';
import { HistoryLoader } from './history_loader';
import { FrameScheduler } from './scheduler';
import { SensorSocket, type ConnectionStatus } from './socket';
import { kindOf, mergePoints, pointOf, SensorStore, type ApplyResult, type Point, type SensorEntry, type TileState } from './store';
import { AuthView } from './view/auth';
import { ConnectionView } from './view/connection';
import { DetailView } from './view/detail';
import { must, setText } from './view/dom';
import { formatAge, formatValue } from './view/format';
import { GridView } from './view/grid';

const DETAIL_KEY = '\u0000detail';
const SUMMARY_KEY = '\u0000summary';
const DETAIL_POINTS = 1_000;
const HISTORY_LIMIT = 500;
const NO_READING = 'no reading yet';

export class Controller {
  private readonly store = new SensorStore();
  private readonly clock = new ServerClock();
  private readonly base: string;
  private readonly grid: GridView;
  private readonly detail: DetailView;
  private readonly connection: ConnectionView;
  private readonly scheduler: FrameScheduler;
  private readonly socket: SensorSocket;
  private readonly filterInput: HTMLInputElement;
  private detailPoints: Point[] = [];
  private detailFetch: AbortController | null = null;
  private filterQuery = '';
  private readonly tileHistory: HistoryLoader;
  private connections = 0;
  private readonly tokens: TokenStore;
  private readonly auth: AuthView;

  constructor(private readonly doc: Document) {
    const loc = doc.location;
    this.base = loc.pathname.replace(/[^/]*$/, '');
    this.scheduler = new FrameScheduler((key) => this.render(key));
    this.grid = new GridView(must(doc, '#grid'), {
      open: (id) => this.openDetail(id),
      needsRender: (id) => this.scheduler.markDirty(id),
    });
    this.detail = new DetailView(must<HTMLDialogElement>(doc, '#detail'));
    const connRoot = must<HTMLButtonElement>(doc, '#connection');
    this.connection = new ConnectionView(connRoot, must(connRoot, '.conn-text'), must(doc, '#announcer'), () =>
      this.socket.retryNow(),
    );
    this.filterInput = must<HTMLInputElement>(doc, '#filter');
    this.tileHistory = new HistoryLoader(
      (id) => fetchHistory(this.base, id, this.store.options.historyCapacity),
      (id, readings) => {
        if (this.store.mergeHistory(id, readings)) this.scheduler.markDirty(id);
      },
    );
    this.tokens = new TokenStore(sessionTokenStorage(doc.defaultView));
    this.auth = new AuthView(must<HTMLDialogElement>(doc, '#auth'), (token) => this.useToken(token));
    configureApiAuth({ token: () => this.tokens.get(), onUnauthorized: (reason) => this.askForToken(reason) });
    const wsUrl = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${this.base}ws`;
    this.socket = new SensorSocket({
      url: wsUrl,
      onMessage: (msg) => this.onMessage(msg),
      onStatus: (s) => this.onStatus(s),
      onOpen: () => this.onOpen(),
      token: () => this.tokens.get(),
      onAuthRequired: (reason) => this.askForToken(reason),
    });
  }

  start(): void {
    this.bindInput();
    this.socket.subscribe(roomForAll());
    this.socket.start();
    void this.refresh();
    setInterval(() => this.tick(), 1_000);
    this.renderSummary();
  }

  private bindInput(): void {
    this.filterInput.addEventListener('input', () => this.applyFilter(this.filterInput.value));
    this.filterInput.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.filterInput.value !== '') {
        e.preventDefault();
        this.filterInput.value = '';
        this.applyFilter('');
      }
    });
    this.doc.addEventListener('keydown', (e) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === '/' && !typing && !this.detail.openId && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        this.filterInput.focus();
        this.filterInput.select();
      }
    });
    const win = this.doc.defaultView;
    win?.addEventListener('online', () => this.socket.setNetworkAvailable(true));
    win?.addEventListener('offline', () => this.socket.setNetworkAvailable(false));
    this.doc.addEventListener('visibilitychange', () => {
      if (this.doc.visibilityState === 'visible') {
        this.socket.retryNow();
        this.tick();
      }
    });
  }

  /** The bridge wants a token or refused ours: forget a refused one and ask. */
  private askForToken(reason: string): void {
    if (this.auth.shown) return;
    const had = this.tokens.get() !== null;
    // A REST 401 can arrive while the socket still authenticates: only a refusal clears the token.
    if (had && reason !== 'token required') this.tokens.clear();
    this.auth.show(authPrompt(reason, had && reason !== 'token required'));
  }

  private useToken(token: string): void {
    if (!this.tokens.set(token)) {
      this.auth.show('That does not look like a token.');
      return;
    }
    this.socket.retryNow();
    void this.refresh();
  }

  private onOpen(): void {
    if (this.connections++ > 0) this.tileHistory.reset();
    void this.refresh();
  }

  /**
   * Latest values and statuses from REST: on start and after every reconnect, so no tile keeps
   * a value or state that changed while the page was away.
   */
  private async refresh(): Promise<void> {
    const mark = this.store.statusMark();
    const readings = await fetchLatest(this.base);
    if (readings) for (const r of readings) this.applied(r.sensorId, this.store.applyListed(r, mark), r);
    if (this.detail.openId !== null) void this.loadHistory(this.detail.openId);
    this.openFromHash();
  }

  private onMessage(msg: ServerMessage): void {
    dispatchMessage(msg, {
      reading: (r) => {
        this.clock.observe(r.receivedAt, Date.now());
        this.applyReading(r);
      },
      status: (s) => this.applied(s.sensorId, this.store.applyStatus(s), null),
      serverError: (code, message) => console.warn(`sensor-bridge: server error ${code}: ${message}`),
    });
  }

  private applyReading(r: SensorReading): void {
    this.applied(r.sensorId, this.store.applyReading(r), r);
  }

  /** What a store change means for the views: a new tile, a redraw, a point on the open chart. */
  private applied(id: string, result: ApplyResult, r: SensorReading | null): void {
    if (result === 'ignored') return;
    if (result === 'added') {
      this.grid.add(id);
      this.scheduler.markDirty(SUMMARY_KEY);
    }
    if (r !== null && this.detail.openId === id) {
      this.detailPoints = mergePoints(this.detailPoints, [pointOf(r)], DETAIL_POINTS);
    }
    this.markChanged(id);
  }

  private markChanged(id: string): void {
    this.scheduler.markDirty(id);
    if (this.detail.openId === id) this.scheduler.markDirty(DETAIL_KEY);
  }

  private onStatus(s: ConnectionStatus): void {
    this.connection.render(s, Date.now());
  }

  /** Time since the latest reading; NaN for a sensor known only by its status. */
  private ageOf(e: SensorEntry, now: number): number {
    return e.latest === null ? NaN : now - this.clock.toLocal(e.latest.receivedAt);
  }

  private stateOf(e: SensorEntry, now: number): TileState {
    return this.store.stateOf(e.id, this.ageOf(e, now));
  }

  private ageText(e: SensorEntry, now: number): string {
    return e.latest === null ? NO_READING : formatAge(this.ageOf(e, now));
  }

  private render(key: string): void {
    if (key === SUMMARY_KEY) return this.renderSummary();
    if (key === DETAIL_KEY) return this.renderDetail();
    const tile = this.grid.get(key);
    const entry = this.store.get(key);
    if (!tile || !entry) return;
    if (!tile.visible || tile.root.hidden) {
      tile.needsRender = true;
      return;
    }
    const now = Date.now();
    const r = entry.latest;
    if (r === null) {
      tile.render({ value: '', bool: null, unit: '', kind: 'none', state: this.stateOf(entry, now), age: NO_READING, points: [] });
      return;
    }
    this.tileHistory.want(key);
    const f = formatValue(r.sensorId, r.value, r.unit ?? '');
    tile.render({
      value: f.value,
      bool: typeof r.value === 'boolean' ? r.value : null,
      unit: f.unit,
      kind: kindOf(r.value),
      state: this.stateOf(entry, now),
      age: formatAge(this.ageOf(entry, now)),
      points: entry.history.toArray(),
    });
  }

  /** Once a second: ages, staleness, the reconnect countdown and the summary. */
  private tick(): void {
    const now = Date.now();
    for (const tile of this.grid.all()) {
      const entry = this.store.get(tile.id);
      if (!entry) continue;
      const state = this.stateOf(entry, now);
      if (!tile.visible || tile.root.hidden) {
        if (tile.button.dataset['state'] !== state) tile.needsRender = true;
        continue;
      }
      // A state change recolours the sparkline, so that needs a full render.
      if (tile.renderAge(this.ageText(entry, now), state)) this.scheduler.markDirty(tile.id);
    }
    this.connection.tick(now);
    this.renderSummary();
    const open = this.detail.openId;
    const entry = open === null ? undefined : this.store.get(open);
    if (entry) this.detail.renderAge(this.ageText(entry, now), this.stateOf(entry, now));
  }

  private renderSummary(): void {
    const now = Date.now();
    let stale = 0;
    let offline = 0;
    for (const id of this.store.ids()) {
      const entry = this.store.get(id);
      if (!entry) continue;
      const state = this.stateOf(entry, now);
      if (state === 'stale') stale++;
      else if (state === 'offline') offline++;
    }
    const total = this.store.size;
    const summary = must(this.doc, '#summary');
    const shown = this.grid.countMatching();
    const totalText = `${total} sensor${total === 1 ? '' : 's'}`;
    setText(must(summary, '[data-count="total"]'), this.filterQuery ? `${shown} of ${totalText}` : totalText);
    const staleEl = must<HTMLElement>(summary, '[data-count="stale"]');
    staleEl.hidden = stale === 0;
    setText(staleEl, `${stale} stale`);
    const offlineEl = must<HTMLElement>(summary, '[data-count="offline"]');
    offlineEl.hidden = offline === 0;
    setText(offlineEl, `${offline} offline`);
    this.renderEmpty(total, shown);
  }

  private renderEmpty(total: number, shown: number): void {
    const empty = must<HTMLElement>(this.doc, '#empty');
    empty.hidden = shown > 0;
    if (shown > 0) return;
    setText(must(empty, '.empty-title'), total === 0 ? 'Waiting for sensors…' : `No sensor matches “${this.filterQuery}”`);
    setText(
      must(empty, '.empty-hint'),
      total === 0
        ? 'Tiles appear here as soon as the bridge receives a reading.'
        : 'Terms match anywhere in the id; end one with * to match a prefix. Esc clears the filter.',
    );
  }

  private applyFilter(query: string): void {
    this.filterQuery = query.trim();
    this.grid.setFilter(compileFilter(query));
    this.renderSummary();
  }

  private openDetail(id: string): void {
    const entry = this.store.get(id);
    if (!entry) return;
    this.detailPoints = entry.history.toArray();
    this.detail.open(id, (closed) => this.onDetailClosed(closed));
    this.renderDetail();
    this.doc.defaultView?.history.replaceState(null, '', `#sensor=${encodeURIComponent(id)}`);
    void this.loadHistory(id);
  }

  private onDetailClosed(id: string): void {
    this.detailFetch?.abort();
    this.detailFetch = null;
    this.detailPoints = [];
    const loc = this.doc.location;
    this.doc.defaultView?.history.replaceState(null, '', `${loc.pathname}${loc.search}`);
    this.grid.focus(id);
  }

  private async loadHistory(id: string): Promise<void> {
    this.detailFetch?.abort();
    const ctrl = new AbortController();
    this.detailFetch = ctrl;
    const history = await fetchHistory(this.base, id, HISTORY_LIMIT, ctrl.signal);
    if (ctrl.signal.aborted || this.detail.openId !== id) return;
    this.detailPoints = mergePoints(history.map(pointOf), this.detailPoints, DETAIL_POINTS);
    this.scheduler.markDirty(DETAIL_KEY);
  }

  private renderDetail(): void {
    const id = this.detail.openId;
    const entry = id === null ? undefined : this.store.get(id);
    if (!entry) return;
    const now = Date.now();
    this.detail.render({
      id: entry.id,
      reading: entry.latest,
      state: this.stateOf(entry, now),
      age: this.ageText(entry, now),
      points: this.detailPoints,
      usualIntervalMs: this.store.usualIntervalMs(entry.id),
    });
  }

  private openFromHash(): void {
    const m = /^#sensor=(.+)$/.exec(this.doc.location.hash);
    if (!m?.[1] || this.detail.openId !== null) return;
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return;
    }
    if (this.store.get(id)) this.openDetail(id);
  }
}

new Controller(document).start();
