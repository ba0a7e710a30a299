#include "ingest/asio_mqtt_source.hpp"

#include <asio/connect.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "ingest/mqtt_codec.hpp"

namespace sb {
namespace {

namespace codec = mqtt_codec;

constexpr std::size_t read_chunk = 32 * 1024;             // one read's worth, at most
constexpr int max_batch_reads = 8;                          // reads of one paced wake-up, at most
// While pacing, the socket wakes the thread only once this much is waiting (a batch interval
// normally ends first): no wake-up per arriving segment.
constexpr int paced_low_water = 64 * 1024;
constexpr std::size_t max_pending_out = 4 * 1024 * 1024;  // bound on queued publishes
constexpr std::chrono::seconds handshake_timeout{5};

std::int64_t steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

asio_mqtt_source::asio_mqtt_source(asio::io_context& io, mqtt_source_options opts)
    : io_(io),
      opts_(std::move(opts)),
      rotation_(opts_.urls),
      resolver_(io),
      socket_(io),
      retry_timer_(io),
      handshake_timer_(io),
      keepalive_timer_(io),
      batch_timer_(io),
      pacer_(opts_.batch_interval),
      backoff_(opts_.backoff_min, opts_.backoff_max),
      protocol_(opts_.topics, opts_.qos, opts_.max_packet, *this) {
    rbuf_.resize(std::max(opts_.max_packet, read_chunk));
    for (const auto& url : rotation_.urls()) addresses_.push_back(parse_tcp_broker_url(url));
}

asio_mqtt_source::~asio_mqtt_source() { stop(); }

void asio_mqtt_source::start(message_handler on_message, state_handler on_state) {
    on_message_ = std::move(on_message);
    on_state_ = std::move(on_state);
    asio::post(io_, [this] { connect(); });
}

void asio_mqtt_source::connect() {
    if (stopped_) return;
    const std::uint64_t s = ++session_;
    link_ = link::connecting;
    const broker_address& address = addresses_[rotation_.current()];
    resolver_.async_resolve(address.host, address.port,
                            [this, s](const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
                                if (s != session_ || stopped_) return;
                                if (ec) return fail("resolve: " + ec.message());
                                asio::async_connect(socket_, results,
                                                    [this, s](const asio::error_code& cec, const asio::ip::tcp::endpoint&) {
                                                        if (s != session_ || stopped_) return;
                                                        if (cec) return fail(cec.message());
                                                        on_tcp_connected(s);
                                                    });
                            });
    handshake_timer_.expires_after(handshake_timeout);
    handshake_timer_.async_wait([this, s](const asio::error_code& ec) {
        if (ec || s != session_ || stopped_) return;
        if (link_ == link::connecting || protocol_.current() == mqtt_client_protocol::phase::handshake) {
            fail("no CONNACK within 5 s");
        }
    });
}

void asio_mqtt_source::on_tcp_connected(std::uint64_t session) {
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    socket_.non_blocking(true, ignored);  // read_batch reads without waiting
    link_ = link::open;
    rlen_ = 0;
    last_rx_ms_ = steady_ms();
    codec::connect_fields f;
    f.client_id = opts_.client_id;
    f.clean_session = opts_.clean_session;
    f.keep_alive_s = static_cast<std::uint16_t>(std::min<long long>(opts_.keep_alive.count(), 65535));
    f.username = opts_.username;
    f.password = opts_.password;
    protocol_.begin(f, pending_out_);
    flush();
    read(session);
}

void asio_mqtt_source::read(std::uint64_t session) {
    const std::size_t room = read_room();
    socket_.async_read_some(asio::buffer(rbuf_.data() + rlen_, room),
                            [this, session, room](const asio::error_code& ec, std::size_t n) {
                                if (session != session_ || stopped_) return;
                                if (ec) return fail(ec == asio::error::eof ? "closed by the broker" : ec.message());
                                if (!on_read(session, n)) return;
                                next_read(session, n == room);
                            });
}

std::size_t asio_mqtt_source::read_room() const { return std::min(read_chunk, rbuf_.size() - rlen_); }

// While pacing: what arrived during the pause, without waiting for more.
void asio_mqtt_source::read_batch(std::uint64_t session) {
    paced_reads_.fetch_add(1, std::memory_order_relaxed);
    bool full = false;
    for (int i = 0; i < max_batch_reads; ++i) {
        const std::size_t room = read_room();
        asio::error_code ec;
        const std::size_t n = socket_.read_some(asio::buffer(rbuf_.data() + rlen_, room), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            full = false;
            break;
        }
        if (ec) return fail(ec == asio::error::eof ? "closed by the broker" : ec.message());
        if (!on_read(session, n)) return;
        full = n == room;
        if (!full) break;
    }
    next_read(session, full);
}

void asio_mqtt_source::next_read(std::uint64_t session, bool full) {
    flush();  // the PUBACKs of what was read, in one write
    const bool was_pacing = pacer_.pacing();
    const auto next = pacer_.after_read(std::exchange(packets_, 0), full);
    if (pacer_.pacing() != was_pacing) {
        asio::error_code ignored;
        socket_.set_option(asio::socket_base::receive_low_watermark(pacer_.pacing() ? paced_low_water : 1), ignored);
    }
    if (next == read_pacer::next::pause) {
        batch_timer_.expires_after(pacer_.interval());
        batch_timer_.async_wait([this, session](const asio::error_code& ec) {
            if (ec || session != session_ || stopped_) return;
            read_batch(session);
        });
    } else if (pacer_.pacing()) {  // a full buffer while pacing: the rest, after other handlers
        asio::post(io_, [this, session] {
            if (session != session_ || stopped_) return;
            read_batch(session);
        });
    } else {
        read(session);
    }
}

bool asio_mqtt_source::on_read(std::uint64_t session, std::size_t n) {
    rlen_ += n;
    // One clock reading per read, not per message: a paced read brings in hundreds.
    read_at_ = std::chrono::steady_clock::now();
    read_at_ms_ = now_ms();
    last_rx_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(read_at_.time_since_epoch()).count();
    const auto r = protocol_.feed(std::string_view(rbuf_.data(), rlen_), rlen_ == rbuf_.size(), pending_out_);
    packets_ += r.packets;
    if (r.stop) {
        if (!r.error.empty()) fail(r.error);
        return false;
    }
    if (session != session_) return false;
    if (r.consumed > 0) {
        std::memmove(rbuf_.data(), rbuf_.data() + r.consumed, rlen_ - r.consumed);
        rlen_ -= r.consumed;
    }
    return true;
}

void asio_mqtt_source::on_accepted() {
    handshake_timer_.cancel();
    if (ever_connected_) reconnects_.fetch_add(1, std::memory_order_relaxed);
    ever_connected_ = true;
    backoff_.reset();
    if (opts_.keep_alive.count() > 0) arm_keepalive(session_);
}

void asio_mqtt_source::on_subscribed(std::size_t granted, std::size_t refused) {
    connected_.store(true, std::memory_order_relaxed);
    SB_LOG(info, "mqtt", "connected",
           "url=" + log_quote(rotation_.shown()) + " session=" + (opts_.clean_session ? "clean" : "persistent") +
               " topics=" + std::to_string(granted) + (refused > 0 ? " refused=" + std::to_string(refused) : std::string()));
    if (on_state_) on_state_(true);
}

void asio_mqtt_source::on_publish(const mqtt_codec::publish_view& pub) {
    mqtt_message m;
    m.topic = pub.topic;
    m.payload = pub.payload;
    m.received_at = read_at_ms_;  // the moment of the read that brought it in
    m.received_steady = read_at_;
    m.retained = pub.retain;
    m.dup = pub.dup;
    m.qos = static_cast<std::uint8_t>(pub.qos);
    m.packet_id = pub.qos > 0 ? pub.packet_id : 0;
    on_message_(std::move(m));
}

void asio_mqtt_source::flush() {
    if (write_in_flight_ || pending_out_.empty() || link_ != link::open) return;
    writing_.swap(pending_out_);
    pending_out_.clear();
    write_in_flight_ = true;
    asio::async_write(socket_, asio::buffer(writing_), [this, s = session_](const asio::error_code& ec, std::size_t) {
        if (s != session_ || stopped_) return;
        write_in_flight_ = false;
        if (ec) return fail("write: " + ec.message());
        flush();
    });
}

void asio_mqtt_source::arm_keepalive(std::uint64_t session) {
    keepalive_timer_.expires_after(opts_.keep_alive);
    keepalive_timer_.async_wait([this, session](const asio::error_code& ec) {
        if (ec || session != session_ || stopped_) return;
        const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(opts_.keep_alive).count() * 3 / 2;
        if (steady_ms() - last_rx_ms_ > limit) return fail("no reply from the broker within 1.5 x keepalive");
        codec::encode_pingreq(pending_out_);
        flush();
        arm_keepalive(session);
    });
}

bool asio_mqtt_source::publish(const std::string& topic, std::string payload) {
    if (stopped_ || protocol_.current() != mqtt_client_protocol::phase::up) return false;
    if (pending_out_.size() + topic.size() + payload.size() > max_pending_out) return false;
    codec::encode_publish_qos0(pending_out_, topic, payload);
    flush();
    return true;
}

// Posted: the caller may be inside this source's own message handler, mid-read.
void asio_mqtt_source::add_topic(const std::string& topic) {
    asio::post(io_, [this, topic] {
        if (stopped_) return;
        protocol_.add_topic(topic, pending_out_);
        flush();
    });
}

void asio_mqtt_source::remove_topic(const std::string& topic) {
    asio::post(io_, [this, topic] {
        if (stopped_) return;
        protocol_.remove_topic(topic, pending_out_);
        flush();
    });
}

void asio_mqtt_source::fail(const std::string& why) {
    if (stopped_) return;
    const bool was_up = connected_.exchange(false);
    ++session_;
    link_ = link::idle;
    protocol_.end();
    asio::error_code ignored;
    socket_.close(ignored);
    resolver_.cancel();
    handshake_timer_.cancel();
    keepalive_timer_.cancel();
    batch_timer_.cancel();
    pacer_.reset();
    packets_ = 0;
    rlen_ = 0;
    pending_out_.clear();
    write_in_flight_ = false;  // the aborted write's handler sees a stale session
    if (was_up) {
        SB_LOG(warn, "mqtt", "connection lost", "url=" + log_quote(rotation_.shown()) + " cause=" + log_quote(why));
        if (on_state_) on_state_(false);
        rotation_.restart();
    } else {
        SB_LOG(warn, "mqtt", "connect failed", "url=" + log_quote(rotation_.shown()) + " error=" + log_quote(why));
        if (rotation_.next_after_failure()) {  // another broker of this round: at once
            asio::post(io_, [this] { connect(); });
            return;
        }
    }
    schedule_reconnect();
}

void asio_mqtt_source::schedule_reconnect() {
    retry_timer_.expires_after(backoff_.next());
    retry_timer_.async_wait([this](const asio::error_code& ec) {
        if (!ec) connect();
    });
}

void asio_mqtt_source::stop() {
    if (stopped_) return;
    stopped_ = true;
    connected_.store(false);
    ++session_;
    asio::error_code ignored;
    retry_timer_.cancel();
    handshake_timer_.cancel();
    keepalive_timer_.cancel();
    batch_timer_.cancel();
    resolver_.cancel();
    if (socket_.is_open() && !write_in_flight_ && link_ == link::open) {
        // A clean DISCONNECT, written synchronously: the io_context may no longer be running.
        std::string bye;
        codec::encode_disconnect(bye);
        socket_.non_blocking(false, ignored);
        asio::write(socket_, asio::buffer(bye), ignored);
        socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    }
    socket_.close(ignored);
    link_ = link::idle;
    protocol_.end();
}

}  // namespace sb
