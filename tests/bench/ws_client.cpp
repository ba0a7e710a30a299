// ws_client, the transport: connect (bound to a source address), the opening handshake,
// reads into the worker's buffer, frames, writes, close. What each protocol says and counts is
// in ws_client_protocol.cpp.
#include "ws_client.hpp"

#include <netinet/in.h>
#include <unistd.h>

#include "ws_worker.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace sb::bench {
namespace {

constexpr std::size_t max_frame = 1 << 20;
constexpr std::size_t max_message = 1 << 20;
constexpr std::size_t max_head = 8192;
constexpr std::size_t max_unsent = 64 * 1024;
constexpr int reads_per_wake = 4;  // then yield to the other clients of the thread

std::uint64_t key_seed(std::uint32_t index) {
    return (static_cast<std::uint64_t>(::getpid()) << 32) ^ index ^ 0x5BD1E995u;
}

bool would_block(const asio::error_code& ec) {
    return ec == asio::error::would_block || ec == asio::error::try_again;
}

}  // namespace

ws_client::ws_client(ws_worker& w, std::uint32_t index)
    : w_(w), sock_(w.io()), frames_(max_frame), packets_(max_frame), index_(index) {}

void ws_client::start() {
    w_.live().started.fetch_add(1, std::memory_order_relaxed);
    const auto& target = w_.run().target;
    asio::error_code ec;
    sock_.open(target.protocol(), ec);
    if (ec) return fail("socket: " + ec.message());
    const auto& sources = w_.run().sources;
    if (!sources.empty()) {
        // The port is picked at connect time, per destination: each source address gives
        // its own ~28 000 ephemeral ports towards the one server port.
        int one = 1;
        ::setsockopt(sock_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        const asio::ip::tcp::endpoint from(asio::ip::address_v4(sources[index_ % sources.size()]), 0);
        sock_.bind(from, ec);
        if (ec) return fail("bind " + from.address().to_string() + ": " + ec.message());
    }
    sock_.async_connect(target, [this](const asio::error_code& e) { on_connected(e); });
}

void ws_client::on_connected(const asio::error_code& ec) {
    if (state_ == state::closed || ec == asio::error::operation_aborted) return;
    if (ec) return fail("connect: " + ec.message());
    asio::error_code ignored;
    sock_.set_option(asio::ip::tcp::no_delay(true), ignored);
    sock_.non_blocking(true, ignored);
    state_ = state::handshaking;
    const ws_run_state& run = w_.run();
    std::string& req = w_.scratch();
    req.clear();
    ws::append_handshake_request(req, run.url.host_header, run.url.path, ws::handshake_key(key_seed(index_)),
                                 w_.opts().protocol == ws_protocol::mqtt ? "mqtt" : "");
    send_raw(req);
    arm_read();
}

void ws_client::arm_read() {
    if (state_ == state::closed) return;
    sock_.async_wait(asio::socket_base::wait_read, [this](const asio::error_code& ec) { on_readable(ec); });
}

void ws_client::on_readable(const asio::error_code& ec) {
    if (state_ == state::closed || ec == asio::error::operation_aborted) return;
    if (ec) return fail("wait: " + ec.message());
    char* buf = w_.read_buffer();
    for (int round = 0; round < reads_per_wake; ++round) {
        asio::error_code rec;
        const std::size_t n = sock_.read_some(asio::buffer(buf, ws_worker::read_buffer_size), rec);
        if (would_block(rec)) break;
        if (rec == asio::error::eof || rec == asio::error::connection_reset) return peer_closed();
        if (rec) return fail("read: " + rec.message());
        if (!consume(buf, n, wall_us())) return;
        if (n < ws_worker::read_buffer_size) break;
    }
    arm_read();
}

bool ws_client::consume(const char* data, std::size_t n, std::int64_t now_us) {
    if (state_ == state::handshaking && !consume_handshake(data, n)) return false;
    if (n == 0) return state_ != state::closed;
    reading_tally& tally = w_.tally_mut();
    const std::uint64_t before = tally.readings;
    bool alive = true;
    const bool ok = frames_.feed(data, n, [&](const ws::frame& f) {
        if (alive) alive = on_frame(f, now_us);
    });
    if (tally.readings != before) {
        w_.live().readings.fetch_add(tally.readings - before, std::memory_order_relaxed);
        w_.live().last_recv_us.store(now_us, std::memory_order_relaxed);
    }
    if (!alive || state_ == state::closed) return false;
    if (!ok) {
        ++w_.errors_mut().protocol;
        ++tally.errors;
        fail("malformed WebSocket frame");
        return false;
    }
    return true;
}

bool ws_client::consume_handshake(const char*& data, std::size_t& n) {
    const std::size_t old = text_.size();
    text_.insert(text_.end(), data, data + n);
    const std::string_view all(text_.data(), text_.size());
    const std::size_t end = all.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
    if (end == std::string_view::npos) {
        if (text_.size() > max_head) fail("handshake response too long");
        n = 0;
        return state_ != state::closed;
    }
    const std::size_t head_len = end + 4;
    const std::string why = ws::check_handshake_response(all.substr(0, head_len), ws::handshake_key(key_seed(index_)));
    if (!why.empty()) {
        fail(why);
        return false;
    }
    data += head_len - old;
    n -= head_len - old;
    std::vector<char>().swap(text_);
    on_open();
    return state_ != state::closed;
}

void ws_client::on_open() {
    state_ = state::open;
    w_.live().connected.fetch_add(1, std::memory_order_relaxed);
    w_.live().open.fetch_add(1, std::memory_order_relaxed);
    switch (w_.opts().protocol) {
        case ws_protocol::raw: become_ready(); break;
        case ws_protocol::bridge: break;  // subscribes on the `connected` frame
        case ws_protocol::mqtt: {
            std::string& s = w_.scratch();
            s.clear();
            mqtt::append_connect(s, "sbws-" + std::to_string(::getpid()) + "-" + std::to_string(index_),
                                 w_.opts().keepalive_s);
            send_frame(ws::binary, s);
            last_ping_s_ = w_.seconds_since_start();
            break;
        }
    }
}

bool ws_client::on_frame(const ws::frame& f, std::int64_t now_us) {
    switch (f.op) {
        case ws::ping: send_frame(ws::pong, f.payload); return state_ != state::closed;
        case ws::pong: return true;
        case ws::close:
            send_frame(ws::close, f.payload.substr(0, 2));  // echo the code, as RFC 6455 asks
            peer_closed();
            return false;
        case ws::text: case ws::binary: case ws::continuation: break;
        default: ++w_.errors_mut().protocol; ++w_.tally_mut().errors; return true;
    }
    reading_tally& tally = w_.tally_mut();
    if (w_.opts().protocol == ws_protocol::mqtt) {
        if (f.fin) ++tally.frames;
        const bool ok = packets_.feed(f.payload.data(), f.payload.size(),
                                      [&](const mqtt::packet& p) { on_mqtt(p, now_us); });
        if (!ok) {
            ++w_.errors_mut().protocol;
            ++tally.errors;
            fail("malformed MQTT packet");
        }
        return state_ != state::closed;
    }
    if (f.op != ws::continuation && f.fin && text_.empty()) {  // the usual case: no copy
        ++tally.frames;
        on_text(f.payload, now_us);
        return state_ != state::closed;
    }
    if (text_.size() + f.payload.size() > max_message) {
        ++w_.errors_mut().protocol;
        ++tally.errors;
        fail("fragmented message over 1 MiB");
        return false;
    }
    text_.insert(text_.end(), f.payload.begin(), f.payload.end());
    if (f.fin) {
        ++tally.frames;
        on_text(std::string_view(text_.data(), text_.size()), now_us);
        text_.clear();
    }
    return state_ != state::closed;
}

void ws_client::send_frame(ws::opcode op, std::string_view payload) {
    std::string& frame = w_.frame_buffer();
    frame.clear();
    ws::append_frame(frame, op, payload, w_.next_mask());
    send_raw(frame);
}

void ws_client::send_raw(std::string_view bytes) {
    if (state_ == state::closed) return;
    if (out_.empty()) {
        asio::error_code ec;
        std::size_t n = sock_.write_some(asio::buffer(bytes.data(), bytes.size()), ec);
        if (would_block(ec)) {
            n = 0;
        } else if (ec) {
            return fail("write: " + ec.message());
        }
        if (n == bytes.size()) return;
        bytes.remove_prefix(n);
    }
    if (out_.size() + bytes.size() > max_unsent) return fail("the server is not reading");
    out_.append(bytes.data(), bytes.size());
    arm_write();
}

void ws_client::arm_write() {
    if (write_armed_) return;
    write_armed_ = true;
    sock_.async_wait(asio::socket_base::wait_write, [this](const asio::error_code& ec) {
        write_armed_ = false;
        if (state_ == state::closed || ec == asio::error::operation_aborted) return;
        if (ec) return fail("wait: " + ec.message());
        asio::error_code wec;
        const std::size_t n = sock_.write_some(asio::buffer(out_), wec);
        if (wec && !would_block(wec)) return fail("write: " + wec.message());
        out_.erase(0, wec ? 0 : n);
        if (out_.empty()) {
            std::string().swap(out_);
        } else {
            arm_write();
        }
    });
}

void ws_client::fail(const std::string& why) {
    if (state_ == state::closed) return;
    if (!settled_) {
        settled_ = true;
        w_.live().failed.fetch_add(1, std::memory_order_relaxed);
    }
    w_.note_failure(index_, why);
    close_socket();
}

void ws_client::peer_closed() {
    if (state_ == state::closed) return;
    if (state_ == state::open || state_ == state::ready) {
        w_.live().closed_by_server.fetch_add(1, std::memory_order_relaxed);
    }
    if (!settled_) {
        settled_ = true;
        w_.live().failed.fetch_add(1, std::memory_order_relaxed);
        w_.note_failure(index_, "closed by the server before it was ready");
    }
    close_socket();
}

void ws_client::close_socket() {
    if (state_ == state::open || state_ == state::ready) w_.live().open.fetch_sub(1, std::memory_order_relaxed);
    state_ = state::closed;
    asio::error_code ignored;
    sock_.close(ignored);
    std::vector<char>().swap(text_);
    std::string().swap(out_);
}

}  // namespace sb::bench
