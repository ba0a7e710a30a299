#pragma once
// When to read the broker's stream again (--mqtt-batch-us). Idle or light traffic: at once,
// so a reading waits for nothing. Under load (a read that brought in batch_packets messages or
// more) the source pauses for the batch interval between reads and stops the socket from
// waking the thread for every arriving segment: each wake-up, read and WebSocket write then
// carries a batch instead of two or three readings, which is what the CPU per reading is made
// of at high rates. A reading waits at most one interval more. The pacing ends as soon as an
// interval brings in fewer than batch_packets messages. Pure logic: no I/O, no clock.
#include <chrono>
#include <cstddef>

namespace sb {

class read_pacer {
public:
    // Messages in one read (or in one interval) that mean "under load".
    static constexpr std::size_t batch_packets = 16;

    explicit read_pacer(std::chrono::microseconds interval) : interval_(interval) {}

    std::chrono::microseconds interval() const noexcept { return interval_; }
    bool pacing() const noexcept { return pacing_; }

    enum class next { read_now, pause };

    // After a read (or, while pacing, the reads of one wake-up) that brought in `packets`
    // messages; `full`: the last read filled the buffer, so more is waiting already.
    next after_read(std::size_t packets, bool full) noexcept;

    // The connection is gone: a new one starts unpaced.
    void reset() noexcept { pacing_ = false; }

private:
    std::chrono::microseconds interval_;
    bool pacing_ = false;
};

}  // namespace sb
