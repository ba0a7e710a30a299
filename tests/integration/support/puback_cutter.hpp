#pragma once
// A TCP proxy on a free loopback port between the bridge and mosquitto that, when armed,
// swallows the bridge's next PUBACK and cuts both connections. The broker never sees the
// acknowledgement of a message the bridge processed, so with a persistent session it sends
// that PUBLISH again, DUP set, when the bridge reconnects (MQTT 3.1.1 §4.4). Everything else
// passes through unchanged. One connection at a time; stopped and joined when destroyed.
#include <atomic>
#include <cstdint>
#include <thread>

namespace sb_it {

class puback_cutter {
public:
    explicit puback_cutter(std::uint16_t broker_port);
    ~puback_cutter();
    puback_cutter(const puback_cutter&) = delete;
    puback_cutter& operator=(const puback_cutter&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    void arm() noexcept { armed_ = true; }
    int cuts() const noexcept { return cuts_; }  // PUBACKs swallowed so far

private:
    void run();
    void relay(int client);

    std::uint16_t broker_port_;
    std::uint16_t port_ = 0;
    int listener_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> armed_{false};
    std::atomic<int> cuts_{0};
    std::thread thread_;
};

}  // namespace sb_it
