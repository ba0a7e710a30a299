#include "mqtt_sub.hpp"

#include <unistd.h>

#include <iostream>

#include "reading_codec.hpp"
#include "tool_support.hpp"

namespace sb::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto tick_period = 10ms;
constexpr auto keepalive_ping = 30s;
constexpr std::uint16_t subscribe_id = 1;

}  // namespace

mqtt_sub::mqtt_sub(sub_options o) : o_(std::move(o)), in_(256 * 1024) {}

int mqtt_sub::run() {
    if (o_.broker.client_id.empty()) o_.broker.client_id = "sb-bench-sub-" + std::to_string(::getpid());
    started_ = steady::now();
    const std::string err = open_mqtt_session(io_, sock_, o_.broker, 5s);
    if (!err.empty()) {
        std::cerr << "sb-bench-mqtt: " << err << "\n";
        print_summary(summary());
        return 1;
    }
    signals_.async_wait([this](const asio::error_code& ec, int) {
        if (!ec) stop("signal");
    });
    std::string subscribe;
    mqtt::append_subscribe(subscribe, subscribe_id, {o_.topic}, 0);
    send(subscribe);
    last_write_ = steady::now();
    read();
    tick();
    io_.run();
    print_summary(summary());
    return error_.empty() ? 0 : 1;
}

void mqtt_sub::read() {
    sock_.async_read_some(asio::buffer(in_), [this](const asio::error_code& ec, std::size_t n) {
        if (done_) return;
        if (ec) return fail("connection lost: " + ec.message());
        const std::int64_t now = wall_us();  // one receive time per read: they all arrived by then
        const std::uint64_t before = tally_.readings;
        if (!packets_.feed(in_.data(), n, [&](const mqtt::packet& p) { on_packet(p, now); })) {
            return fail("malformed packet from the broker");
        }
        if (done_) return;
        if (tally_.readings != before) last_reading_ = steady::now();
        flush();
        if (o_.expect > 0 && tally_.readings >= o_.expect) return stop("expected readings received");
        read();
    });
}

void mqtt_sub::on_packet(const mqtt::packet& p, std::int64_t now_us) {
    switch (p.type()) {
        case mqtt::publish: on_publish(p, now_us); break;
        case mqtt::suback:
            if (p.body.size() < 3 || static_cast<unsigned char>(p.body[2]) == 0x80) {
                return fail("the broker refused the subscription to " + o_.topic);
            }
            ready_ = true;
            ready_us_ = wall_us();
            std::cerr << "sub: subscribed to " << o_.topic << "\n";
            print_ready();
            break;
        case mqtt::pubrel: mqtt::append_ack(out_, 0x70, mqtt::packet_id_of(p)); break;
        default: break;  // PINGRESP
    }
}

void mqtt_sub::on_publish(const mqtt::packet& p, std::int64_t now_us) {
    mqtt::publish_view pub;
    ++tally_.frames;
    if (!mqtt::parse_publish(p, pub)) {
        ++tally_.errors;
        return;
    }
    if (pub.qos == 1) mqtt::append_ack(out_, 0x40, pub.packet_id);
    if (pub.qos == 2) mqtt::append_ack(out_, 0x50, pub.packet_id);
    std::int64_t value = 0;
    if (!find_value(pub.payload, value)) {
        ++tally_.errors;
        return;
    }
    tally_.count(value, now_us, ready_us_);
}

void mqtt_sub::send(std::string_view bytes) {
    out_.append(bytes.data(), bytes.size());
    flush();
}

void mqtt_sub::flush() {
    if (writing_ || out_.empty() || done_) return;
    sending_.swap(out_);
    out_.clear();
    writing_ = true;
    last_write_ = steady::now();
    asio::async_write(sock_, asio::buffer(sending_), [this](const asio::error_code& ec, std::size_t) {
        writing_ = false;
        sending_.clear();
        if (ec) return fail("write failed: " + ec.message());
        flush();
    });
}

void mqtt_sub::tick() {
    ticker_.expires_after(tick_period);
    ticker_.async_wait([this](const asio::error_code& ec) {
        if (ec || done_) return;
        const auto now = steady::now();
        if (now - started_ >= std::chrono::milliseconds(o_.timeout_ms)) {
            return ready_ ? stop("timeout") : fail("no SUBACK before --timeout-ms");
        }
        if (tally_.readings > 0 && now - last_reading_ >= std::chrono::milliseconds(o_.idle_timeout_ms)) {
            return stop("idle");
        }
        if (now - last_write_ >= keepalive_ping) send(mqtt::pingreq_bytes);
        tick();
    });
}

void mqtt_sub::stop(const std::string& why) {
    if (done_) return;
    done_ = true;
    std::cerr << "sub: stopping (" << why << "), " << tally_.readings << " readings\n";
    ticker_.cancel();
    signals_.cancel();
    asio::error_code ignored;
    if (!writing_) asio::write(sock_, asio::buffer(mqtt::disconnect_bytes.data(), mqtt::disconnect_bytes.size()), ignored);
    sock_.close(ignored);
}

void mqtt_sub::fail(const std::string& why) {
    if (done_) return;
    error_ = why;
    std::cerr << "sb-bench-mqtt: " << why << "\n";
    stop("error");
}

std::string mqtt_sub::summary() const {
    json_line j;
    j.add("tool", "sub").raw(tally_.json_members());
    if (!error_.empty()) j.add("error", error_);
    return j.str();
}

}  // namespace sb::bench
