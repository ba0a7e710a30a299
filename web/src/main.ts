// The entry point: builds the store, the socket, the views and their controllers from the page,
// wires them together and starts. Readings only mark things dirty; the frame scheduler draws
// each dirty tile, the summary and the open dialog at most once per frame. The grid's readings
// come at a few a second per tile, fewer while the page falls behind (live_rooms.ts).
import { configureApiAuth, fetchCsv, fetchHistory, fetchLatest, fetchSeries, hasApiToken, removeSensor, seriesHref } from './api';
import { sessionTokenStorage, TokenPrompt, TokenStore } from './auth';
import { ServerClock } from './clock';
import { DETAIL_KEY, DetailController } from './detail_controller';
import { StoreFeed } from './feed';
import { compileFilter } from './filter';
import { CollapsedGroups, localPrefStorage } from './group_prefs';
import { HistoryLoader } from './history_loader';
import { LiveRooms } from './live_rooms';
import { LoadMeter } from './load_meter';
import { sensorOfRoom, type SensorReading } from './protocol';
import { RateController } from './rate_control';
import { FrameScheduler } from './scheduler';
import { SensorSocket } from './socket';
import { SensorStore } from './store';
import { TilesController } from './tiles_controller';
import { AuthView } from './view/auth';
import { ConnectionView } from './view/connection';
import { DetailView } from './view/detail';
import { must } from './view/dom';
import { FilterBox } from './view/filter_box';
import { GridView } from './view/grid';
import { summaryModel, SummaryView } from './view/summary';
import { Freshness } from './view_model';

const SUMMARY_KEY = '\u0000summary';

function bootstrap(doc: Document): void {
  const loc = doc.location;
  const win = doc.defaultView;
  const base = loc.pathname.replace(/[^/]*$/, '');
  const store = new SensorStore();
  const clock = new ServerClock();
  const freshness = new Freshness(store, clock);
  const load = new LoadMeter();

  // The scheduler's keys: a sensor id (its tile), the summary, or the open dialog.
  const scheduler = new FrameScheduler(
    (key) => {
      if (key === SUMMARY_KEY) return renderSummary();
      if (key === DETAIL_KEY) return detail.render();
      tiles.render(key, Date.now());
    },
    undefined,
    undefined,
    (requestedAt, startedAt) => load.frame(requestedAt, startedAt),
  );
  const markDirty = (key: string): void => scheduler.markDirty(key);

  const grid = new GridView(
    must(doc, '#grid'),
    { open: (id) => detail.open(id), needsRender: markDirty },
    new CollapsedGroups(localPrefStorage(win)),
  );
  const tileHistory = new HistoryLoader(
    (id) => fetchHistory(base, id, store.options.historyCapacity),
    (id, readings) => {
      if (store.mergeHistory(id, readings)) markDirty(id);
    },
  );
  const tiles = new TilesController(grid, store, freshness, tileHistory, markDirty);
  const detail = new DetailController({
    view: new DetailView(
      must<HTMLDialogElement>(doc, '#detail'),
      {
        ask: () => detail.askRemove(),
        cancel: () => detail.cancelRemove(),
        confirm: () => void detail.confirmRemove(),
      },
      {
        range: (key) => detail.chart.selectRange(key),
        zoom: (from, to) => detail.chart.zoom(from, to),
        reset: () => detail.chart.resetZoom(),
        download: (href, name) => {
          // A link cannot carry the token: fetch the file with it, then save that.
          if (!hasApiToken()) return false;
          void downloadWithToken(doc, href, name);
          return true;
        },
      },
    ),
    store,
    freshness,
    address: { location: loc, history: win?.history ?? null },
    fetchSeries: (id, query, signal) => fetchSeries(base, id, query, signal),
    seriesHref: (id, query) => seriesHref(base, id, query),
    markDirty,
    onClosed: (id) => grid.focus(id),
    removeSensor: (id) => removeSensor(base, id),
    // The same path as the bridge's own message: store, tile, summary and this dialog.
    forget: (id) => feed.onMessage({ type: 'sensor.removed', payload: { sensorId: id } }),
    follow: { follow: (id) => rooms.follow(id), unfollow: (id) => rooms.unfollow(id) },
  });
  const summary = new SummaryView(must(doc, '#summary'), must(doc, '#empty'));
  const filter = new FilterBox(
    must<HTMLInputElement>(doc, '#filter'),
    doc,
    (query) => {
      grid.setFilter(compileFilter(query));
      renderSummary();
    },
    () => Boolean(detail.openId),
  );
  function renderSummary(): void {
    const counts = { total: store.size, shown: grid.countMatching(), ...freshness.count(Date.now()) };
    summary.render(summaryModel(counts, filter.query));
  }

  /**
   * What a store change means for the views: a new tile, a redraw (also for a sensor.meta: the
   * tile's name and group, the dialog's title), a point on the open chart.
   */
  function changed(id: string, result: 'added' | 'updated' | 'removed', r: SensorReading | null): void {
    if (result === 'removed') {
      tiles.remove(id);
      detail.removed(id);
      markDirty(SUMMARY_KEY);
      return;
    }
    if (result === 'added') {
      tiles.add(id);
      markDirty(SUMMARY_KEY);
    }
    if (r !== null) detail.readingApplied(id, r);
    markDirty(id);
    detail.changed(id);
  }
  const feed = new StoreFeed(store, clock, () => fetchLatest(base), changed);
  async function refresh(): Promise<void> {
    await feed.refresh();
    detail.refreshed();
  }

  const tokens = new TokenStore(sessionTokenStorage(win));
  const authView = new AuthView(must<HTMLDialogElement>(doc, '#auth'), (token) => prompt.use(token));
  const prompt = new TokenPrompt(tokens, authView, () => {
    socket.retryNow();
    void refresh();
  });
  configureApiAuth({ token: () => tokens.get(), onUnauthorized: (reason) => prompt.ask(reason) });

  const connRoot = must<HTMLButtonElement>(doc, '#connection');
  const connection = new ConnectionView(connRoot, must(connRoot, '.conn-text'), must(doc, '#announcer'), () => socket.retryNow());
  const socket = new SensorSocket({
    url: `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${base}ws`,
    onMessage: (msg) => {
      feed.onMessage(msg);
      // After the feed: a live reading has just corrected the clock offset.
      if (msg.type === 'sensor.reading') load.delivered(Date.now() - clock.toLocal(msg.payload.receivedAt));
    },
    onStatus: (s) => connection.render(s, Date.now()),
    onOpen: () => {
      rooms.connected(performance.now());
      tiles.socketOpened();
      void refresh();
    },
    token: () => tokens.get(),
    onAuthRequired: (reason) => prompt.ask(reason),
    // The open dialog's room resumes where the store's latest left it, on the instance that gave it.
    resumeFrom: (room, instance) => {
      const id = sensorOfRoom(room);
      return id === null ? undefined : store.resumeSeq(id, instance);
    },
  });

  const rooms = new LiveRooms(socket, new RateController(performance.now()));

  /** Once a second: ages, staleness, the reconnect countdown, the summary and the grid's rate. */
  function tick(): void {
    const now = Date.now();
    tiles.tick(now);
    connection.tick(now);
    renderSummary();
    detail.tick(now);
    sampleLoad();
  }

  /** A hidden page draws nothing and says nothing about its load: its period is dropped. */
  function sampleLoad(): void {
    const at = performance.now();
    if (doc.visibilityState !== 'visible') load.reset(at);
    else rooms.sample(load.take(at, scheduler.waitingMs(at)));
  }

  win?.addEventListener('online', () => socket.setNetworkAvailable(true));
  win?.addEventListener('offline', () => socket.setNetworkAvailable(false));
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'visible') {
      load.reset(performance.now());
      socket.retryNow();
      tick();
    }
  });
  rooms.start();
  socket.start();
  void refresh();
  setInterval(tick, 1_000);
  renderSummary();
}

/** Saves the CSV at `href`, fetched with the token, under `name`. */
async function downloadWithToken(doc: Document, href: string, name: string): Promise<void> {
  const blob = await fetchCsv(href);
  if (blob === null) return;
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

bootstrap(document);
