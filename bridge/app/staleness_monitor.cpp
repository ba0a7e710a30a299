#include "app/staleness_monitor.hpp"

#include <algorithm>

#include "core/clock.hpp"

namespace sb {

staleness_monitor::staleness_monitor(asio::io_context& io, status_tracker& tracker, publish_fn publish)
    : timer_(io), tracker_(tracker), publish_(std::move(publish)), period_(period_for(tracker.options().stale_min_ms)) {}

std::chrono::milliseconds staleness_monitor::period_for(std::int64_t stale_min_ms) noexcept {
    return std::chrono::milliseconds(std::clamp<std::int64_t>(stale_min_ms / 4, 100, 1000));
}

void staleness_monitor::start() {
    stopped_ = false;
    schedule();
}

void staleness_monitor::stop() {
    stopped_ = true;
    timer_.cancel();
}

void staleness_monitor::schedule() {
    timer_.expires_after(period_);
    timer_.async_wait([this](const asio::error_code& ec) {
        if (ec || stopped_) return;
        scan();
        schedule();
    });
}

void staleness_monitor::scan() {
    changes_.clear();
    tracker_.scan(monotonic_epoch_ms(), changes_);
    for (const auto& change : changes_) publish_(change);
}

}  // namespace sb
