#include "mqtt_pub.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>

#include <unistd.h>

#include "reading_codec.hpp"
#include "tool_support.hpp"

namespace sb::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto tick_period = 1ms;
constexpr auto ack_grace = 10s;       // QoS 1: how long the end waits for the last PUBACKs
constexpr auto close_grace = 5s;      // how long the end waits for the broker to close
constexpr auto keepalive_ping = 30s;  // half the keepalive we announce
constexpr double max_lag_s = 0.1;     // paced: a backlog beyond this is dropped, not burst

double seconds_since(steady::time_point t) {
    return std::chrono::duration<double>(steady::now() - t).count();
}

}  // namespace

mqtt_pub::mqtt_pub(pub_options o) : o_(std::move(o)) {
    std::size_t longest = 0;
    for (std::uint32_t i = 0; i < o_.sensors; ++i) {
        ids_.push_back(sensor_id(o_.id_prefix, i));
        topics_.push_back(o_.topic_prefix + ids_.back());
        longest = std::max(longest, mqtt::publish_size_bound(topics_.back().size(), max_payload_size(ids_.back().size())));
    }
    out_.resize(o_.batch_bytes + longest);
    payload_.resize(longest);
}

int mqtt_pub::run() {
    if (o_.broker.client_id.empty()) o_.broker.client_id = "sb-bench-pub-" + std::to_string(::getpid());
    const std::string err = open_mqtt_session(io_, sock_, o_.broker, 5s);
    if (!err.empty()) {
        std::cerr << "sb-bench-mqtt: " << err << "\n";
        print_summary(summary());
        return 1;
    }
    std::cerr << "pub: connected to " << o_.broker.host << ":" << o_.broker.port << ", publishing\n";
    signals_.async_wait([this](const asio::error_code& ec, int) {
        if (ec) return;
        std::cerr << "pub: signal, stopping\n";
        finish();
    });
    start();
    io_.run();
    std::cerr << "pub: sent " << sent_ << "\n";
    print_summary(summary());
    return error_.empty() ? 0 : 1;
}

void mqtt_pub::start() {
    started_ = paced_since_ = last_write_ = steady::now();
    read();
    tick();
    pump();
}

void mqtt_pub::tick() {
    ticker_.expires_after(tick_period);
    ticker_.async_wait([this](const asio::error_code& ec) {
        if (ec || done_) return;
        if (finishing_) {
            if (disconnect_sent_ && steady::now() - finish_started_ > ack_grace + close_grace) {
                done_ = true;  // the broker never closed: our side is flushed anyway
                signals_.cancel();
                sock_.close();
                return;
            }
            close_when_flushed();
        } else {
            pump();
            if (!writing_ && steady::now() - last_write_ > keepalive_ping) {
                writing_ = true;
                asio::async_write(sock_, asio::buffer(mqtt::pingreq_bytes.data(), mqtt::pingreq_bytes.size()),
                                  [this](const asio::error_code& e, std::size_t) {
                                      writing_ = false;
                                      last_write_ = steady::now();
                                      if (e) fail("write failed: " + e.message());
                                  });
            }
        }
        tick();
    });
}

void mqtt_pub::pump() {
    if (writing_ || finishing_ || done_) return;
    const bool count_done = o_.count > 0 && sent_ >= o_.count;
    const bool time_done = o_.duration_ms > 0 && elapsed_ms(started_) >= o_.duration_ms;
    if (count_done || time_done) return finish();
    const std::uint64_t n = allowed_now();
    if (n == 0) return;
    fill(n);
    writing_ = true;
    last_write_ = steady::now();
    asio::async_write(sock_, asio::buffer(out_.data(), out_used_), [this](const asio::error_code& ec, std::size_t) {
        writing_ = false;
        out_used_ = 0;
        if (ec) return fail("write failed: " + ec.message());
        if (finishing_) {
            close_when_flushed();
        } else {
            pump();
        }
    });
}

std::uint64_t mqtt_pub::allowed_now() {
    std::uint64_t n = std::numeric_limits<std::uint64_t>::max();
    if (o_.count > 0) n = o_.count - sent_;
    if (o_.qos > 0) n = std::min<std::uint64_t>(n, o_.inflight - std::min(inflight_, o_.inflight));
    if (o_.rate > 0) {
        const auto due = paced_base_ + static_cast<std::uint64_t>(o_.rate * seconds_since(paced_since_));
        const auto max_lag = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(o_.rate * max_lag_s));
        std::uint64_t owed = due > sent_ ? due - sent_ : 0;
        if (owed > max_lag) {  // we fell behind (socket full): start the schedule again from now
            ++behind_cuts_;
            owed = max_lag;
            paced_base_ = sent_ + max_lag;
            paced_since_ = steady::now();
        }
        n = std::min(n, owed);
    }
    return n;
}

// The hot path: PUBLISH packets straight into the batch buffer, stamped as they are written.
void mqtt_pub::fill(std::uint64_t n) {
    char* payload = payload_.data();
    const auto qos = static_cast<std::uint8_t>(o_.qos);
    for (std::uint64_t k = 0; k < n && out_used_ < o_.batch_bytes; ++k) {
        const std::int64_t now = wall_us();
        const std::size_t len = write_payload(payload, ids_[next_sensor_], now);
        std::uint16_t id = 0;
        if (qos > 0) {
            if (++next_packet_id_ == 0) next_packet_id_ = 1;
            id = next_packet_id_;
            ++inflight_;
        }
        out_used_ += mqtt::write_publish(out_.data() + out_used_, topics_[next_sensor_], qos, id,
                                         std::string_view(payload, len));
        if (++next_sensor_ == o_.sensors) next_sensor_ = 0;
        if (sent_++ == 0) first_us_ = now;
        last_us_ = now;
    }
}

void mqtt_pub::read() {
    sock_.async_read_some(asio::buffer(in_), [this](const asio::error_code& ec, std::size_t n) {
        if (ec) {
            if (disconnect_sent_ && !done_) {
                done_ = true;  // the broker closed after our DISCONNECT: everything was taken
                ticker_.cancel();
                signals_.cancel();
                sock_.close();
            } else if (!done_) {
                fail("connection lost: " + ec.message());
            }
            return;
        }
        if (!packets_.feed(in_.data(), n, [this](const mqtt::packet& p) { on_packet(p); })) {
            return fail("malformed packet from the broker");
        }
        if (finishing_) {
            close_when_flushed();
        } else {
            pump();  // once per read: acks arrive in batches, so do the refills
        }
        read();
    });
}

void mqtt_pub::on_packet(const mqtt::packet& p) {
    if (p.type() == mqtt::puback && inflight_ > 0) --inflight_;
}

void mqtt_pub::finish() {
    if (finishing_ || done_) return;
    finishing_ = true;
    finish_started_ = steady::now();
    close_when_flushed();
}

void mqtt_pub::close_when_flushed() {
    if (done_ || disconnect_sent_ || writing_) return;
    if (o_.qos > 0 && inflight_ > 0) {
        if (steady::now() - finish_started_ < ack_grace) return;  // the ticker looks again
        std::cerr << "pub: " << inflight_ << " PUBACKs still missing after " << ack_grace.count() << " s\n";
    }
    disconnect_sent_ = true;
    writing_ = true;
    asio::async_write(sock_, asio::buffer(mqtt::disconnect_bytes.data(), mqtt::disconnect_bytes.size()),
                      [this](const asio::error_code& ec, std::size_t) {
                          writing_ = false;
                          if (ec) return fail("cannot send DISCONNECT: " + ec.message());
                          asio::error_code ignored;
                          sock_.shutdown(asio::socket_base::shutdown_send, ignored);
                      });
}

void mqtt_pub::fail(const std::string& why) {
    if (done_) return;
    done_ = true;
    error_ = why;
    std::cerr << "sb-bench-mqtt: " << why << "\n";
    ticker_.cancel();
    signals_.cancel();
    asio::error_code ignored;
    sock_.close(ignored);
}

std::string mqtt_pub::summary() const {
    const double seconds = static_cast<double>(last_us_ - first_us_) / 1e6;
    json_line j;
    j.add("tool", "pub").add("sent", sent_).add("seconds", seconds);
    j.add("rate", seconds > 0 ? static_cast<double>(sent_) / seconds : 0.0);
    j.add("first_us", first_us_).add("last_us", last_us_).add("qos", o_.qos);
    j.add("unacked", static_cast<std::uint64_t>(o_.qos > 0 ? inflight_ : 0));
    j.add("behind", behind_cuts_);
    if (!error_.empty()) j.add("error", error_);
    return j.str();
}

}  // namespace sb::bench
