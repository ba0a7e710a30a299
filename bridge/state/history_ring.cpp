#include "state/history_ring.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace sb {
namespace {

// The table is searched for an equal text only while it is this small: a unit or a few
// states repeat; a sensor of ever-new texts gets a new entry each time at a bounded cost.
constexpr std::size_t text_search_limit = 32;
constexpr std::size_t small_string_capacity = 15;  // libstdc++'s in-place buffer

}  // namespace

std::size_t history_ring::text_cost(std::size_t size) noexcept {
    std::size_t heap = 0;
    if (size > small_string_capacity) heap = (size + 1 + 15) / 16 * 16 + 16;  // block + malloc header
    return sizeof(text_slot) + heap;
}

std::uint32_t history_ring::acquire(std::string_view text, std::uint32_t hint) {
    if (hint != no_text && texts_[hint].refs > 0 && texts_[hint].text == text) {
        ++texts_[hint].refs;
        return hint;
    }
    if (texts_.size() <= text_search_limit) {
        for (std::size_t i = 0; i < texts_.size(); ++i) {
            if (texts_[i].refs > 0 && texts_[i].text == text) {
                ++texts_[i].refs;
                return static_cast<std::uint32_t>(i);
            }
        }
    }
    std::uint32_t id;
    if (!free_texts_.empty()) {
        id = free_texts_.back();
        free_texts_.pop_back();
    } else {
        id = static_cast<std::uint32_t>(texts_.size());
        texts_.emplace_back();
    }
    texts_[id].text.assign(text);
    texts_[id].refs = 1;
    text_bytes_ += text_cost(text.size());
    return id;
}

void history_ring::drop_text(std::uint32_t id) {
    text_slot& s = texts_[id];
    if (--s.refs > 0) return;
    text_bytes_ -= text_cost(s.text.size());
    std::string().swap(s.text);
    free_texts_.push_back(id);
}

void history_ring::release(const point& p) {
    if (p.unit != no_text) drop_text(p.unit);
    if (p.kind == long_text) drop_text(static_cast<std::uint32_t>(p.bits));
}

history_ring::point history_ring::make_point(const reading& r) {
    point p;
    p.seq = r.seq;
    p.timestamp = r.timestamp;
    p.received_at = r.received_at;
    const point* last = empty() ? nullptr : &back();
    if (!r.unit.empty()) p.unit = acquire(r.unit, last ? last->unit : no_text);
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, double>) {
                p.kind = number;
                std::memcpy(&p.bits, &v, sizeof v);
            } else if constexpr (std::is_same_v<T, bool>) {
                p.kind = boolean;
                p.bits = v ? 1 : 0;
            } else if (v.size() <= sizeof p.bits) {
                p.kind = short_text;
                p.inline_size = static_cast<std::uint8_t>(v.size());
                std::memcpy(&p.bits, v.data(), v.size());
            } else {
                p.kind = long_text;
                const bool hint = last && last->kind == long_text;
                p.bits = acquire(v, hint ? static_cast<std::uint32_t>(last->bits) : no_text);
            }
        },
        r.value);
    return p;
}

void history_ring::grow(std::size_t depth) {
    const std::size_t capacity = std::min(depth, std::max<std::size_t>(2, slots_.size() * 2));
    std::vector<point> next;
    next.reserve(capacity);
    for (std::size_t i = 0; i < size_; ++i) next.push_back((*this)[i]);
    next.resize(capacity);
    slots_ = std::move(next);
    head_ = 0;
}

void history_ring::push_point(const point& p, std::size_t depth) {
    if (size_ == slots_.size()) {
        if (slots_.size() < depth) {
            grow(depth);
        } else {
            pop_front();
        }
    }
    slots_[(head_ + size_) % slots_.size()] = p;
    ++size_;
}

void history_ring::trim(std::size_t depth, std::size_t max_text_bytes) {
    while (size_ > depth) pop_front();
    while (text_bytes_ > max_text_bytes && size_ > 1) pop_front();
}

void history_ring::push_back(const reading& r, std::size_t depth, std::size_t max_text_bytes) {
    push_point(make_point(r), std::max<std::size_t>(depth, 1));
    trim(std::max<std::size_t>(depth, 1), max_text_bytes);
}

void history_ring::insert_before_back(const reading& r, std::size_t depth, std::size_t max_text_bytes) {
    if (empty()) return push_back(r, depth, max_text_bytes);
    depth = std::max<std::size_t>(depth, 1);
    const point newest = back();  // keeps its text references while it is out
    --size_;
    push_point(make_point(r), depth);
    push_point(newest, depth);
    trim(depth, max_text_bytes);
}

void history_ring::pop_back() {
    release(back());
    --size_;
}

void history_ring::pop_front() {
    release(front());
    head_ = (head_ + 1) % slots_.size();
    --size_;
}

reading_value history_ring::value(const point& p) const {
    switch (p.kind) {
    case number: {
        double d;
        std::memcpy(&d, &p.bits, sizeof d);
        return d;
    }
    case boolean:
        return p.bits != 0;
    case short_text:
        return std::string(reinterpret_cast<const char*>(&p.bits), p.inline_size);
    default:
        return texts_[static_cast<std::uint32_t>(p.bits)].text;
    }
}

std::string_view history_ring::unit(const point& p) const {
    return p.unit == no_text ? std::string_view() : std::string_view(texts_[p.unit].text);
}

std::size_t history_ring::bytes() const noexcept {
    return slots_.capacity() * sizeof(point) + texts_.capacity() * sizeof(text_slot) +
           free_texts_.capacity() * sizeof(std::uint32_t) + text_bytes_ - (texts_.size() - free_texts_.size()) * sizeof(text_slot);
}

}  // namespace sb
