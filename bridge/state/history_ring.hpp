#pragma once
// A sensor's recent readings in memory, oldest first, compact (docs/OPERATIONS.md, "Memory"):
// 40 bytes a point in a ring that grows to the depth and then reuses its slots. Numbers and
// booleans are held in the point; a text of at most 8 bytes too; longer texts and units live
// once in the ring's text table, shared by the points that carry them (a unit is nearly always
// the same from one reading to the next). The table is bounded: past max_text_bytes the oldest
// points go, so a sensor whose every value is a distinct long text keeps fewer points than the
// depth (a `since` resume then reports a gap, as for any point no longer kept).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/reading.hpp"

namespace sb {

class history_ring {
public:
    // What one past reading costs (sizeof(point)); the text table's entries come on top.
    struct point {
        std::uint64_t seq = 0;
        std::int64_t timestamp = 0;
        std::int64_t received_at = 0;
        std::uint64_t bits = 0;              // the double's bits, the bool, a short text or a text id
        std::uint32_t unit = no_text;        // text id of the unit, no_text when none
        std::uint8_t kind = 0;               // value_kind
        std::uint8_t inline_size = 0;        // bytes of a short text held in bits
    };
    static constexpr std::uint32_t no_text = 0xffffffffu;
    // What one text table entry costs besides its characters (the slot and the heap block of a
    // text past the small-string buffer): the figure the bound and the docs use.
    static std::size_t text_cost(std::size_t size) noexcept;

    history_ring() = default;
    history_ring(const history_ring&) = delete;  // points hold text ids of this ring's table
    history_ring& operator=(const history_ring&) = delete;
    history_ring(history_ring&&) noexcept = default;
    history_ring& operator=(history_ring&&) noexcept = default;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // i = 0 is the oldest.
    const point& operator[](std::size_t i) const noexcept { return slots_[(head_ + i) % slots_.size()]; }
    const point& front() const noexcept { return (*this)[0]; }
    const point& back() const noexcept { return (*this)[size_ - 1]; }

    // Appends the reading's point; the oldest go while more than depth are kept, or while the
    // text table is over max_text_bytes (never the newest).
    void push_back(const reading& r, std::size_t depth, std::size_t max_text_bytes);
    // Puts an older reading just before the newest point (a start-up reload, oldest first).
    void insert_before_back(const reading& r, std::size_t depth, std::size_t max_text_bytes);
    void pop_back();
    void pop_front();

    reading_value value(const point& p) const;
    std::string_view unit(const point& p) const;

    // Heap bytes held: the slots and the text table (what docs/OPERATIONS.md's figures count).
    std::size_t bytes() const noexcept;
    std::size_t text_bytes() const noexcept { return text_bytes_; }

private:
    enum value_kind : std::uint8_t { number, boolean, short_text, long_text };
    struct text_slot {
        std::string text;
        std::uint32_t refs = 0;
    };

    point make_point(const reading& r);
    void push_point(const point& p, std::size_t depth);
    void trim(std::size_t depth, std::size_t max_text_bytes);
    void release(const point& p);
    std::uint32_t acquire(std::string_view text, std::uint32_t hint);
    void drop_text(std::uint32_t id);
    void grow(std::size_t depth);

    std::vector<point> slots_;  // a ring: head_ is the oldest, size_ in use
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::vector<text_slot> texts_;
    std::vector<std::uint32_t> free_texts_;
    std::size_t text_bytes_ = 0;  // text_cost() of the live table entries
};

}  // namespace sb
