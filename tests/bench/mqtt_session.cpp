#include "mqtt_session.hpp"

#include <array>

#include "mqtt_codec.hpp"

namespace sb::bench {
namespace {

std::string connack_error(const std::array<unsigned char, 4>& b) {
    if (b[0] != 0x20 || b[1] != 0x02) return "the broker did not answer CONNECT with CONNACK";
    if (b[3] != 0) return "the broker refused the connection (CONNACK return code " + std::to_string(b[3]) + ")";
    return {};
}

}  // namespace

std::string open_mqtt_session(asio::io_context& io, tcp_socket& sock, const mqtt_endpoint& at,
                              std::chrono::milliseconds timeout) {
    asio::error_code ec;
    asio::ip::tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(at.host, std::to_string(at.port), ec);
    if (ec) return "cannot resolve " + at.host + ": " + ec.message();

    std::string hello;
    mqtt::append_connect(hello, at.client_id, at.keepalive_s);
    std::array<unsigned char, 4> connack{};
    std::string error = "timed out connecting to " + at.host + ":" + std::to_string(at.port);
    bool done = false;
    auto fail = [&](const std::string& what, const asio::error_code& e) {
        error = what + ": " + e.message();
        done = true;
    };
    asio::async_connect(sock, endpoints, [&](const asio::error_code& e, const asio::ip::tcp::endpoint&) {
        if (e) return fail("cannot connect to " + at.host + ":" + std::to_string(at.port), e);
        sock.set_option(asio::ip::tcp::no_delay(true));
        asio::async_write(sock, asio::buffer(hello), [&](const asio::error_code& we, std::size_t) {
            if (we) return fail("cannot send CONNECT", we);
            asio::async_read(sock, asio::buffer(connack), [&](const asio::error_code& re, std::size_t) {
                if (re) return fail("no CONNACK", re);
                error = connack_error(connack);
                done = true;
            });
        });
    });
    io.run_for(timeout);
    if (!done) {
        sock.close(ec);
        io.restart();
        io.run();  // let the cancelled handlers finish: they refer to this frame
    }
    io.restart();
    if (!error.empty()) sock.close(ec);
    return error;
}

}  // namespace sb::bench
