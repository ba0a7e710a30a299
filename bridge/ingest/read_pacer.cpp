#include "ingest/read_pacer.hpp"

namespace sb {

read_pacer::next read_pacer::after_read(std::size_t packets, bool full) noexcept {
    if (interval_.count() <= 0) return next::read_now;
    if (full) return next::read_now;  // behind: never wait while the buffer is full
    pacing_ = packets >= batch_packets;
    return pacing_ ? next::pause : next::read_now;
}

}  // namespace sb
