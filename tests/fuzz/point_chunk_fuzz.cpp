// libFuzzer target: the time-tiered history's point chunk decoder (issue 18, "a fuzz target for
// the chunk decoder"). Stored chunks are read back from a file anyone with access could have
// damaged: whatever the bytes, decode returns; what it accepts encodes again to a chunk that
// decodes to the very same points (bit for bit), and the input's first half read as points is
// encoded and decoded back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "persist/point_chunk.hpp"

namespace {

// Points from raw bytes: 8 of time, 1 of kind, then a double, a bool or a short string.
std::vector<sb::chunk_point> points_from(std::string_view in) {
    std::vector<sb::chunk_point> out;
    while (in.size() >= 10) {
        sb::chunk_point p;
        std::memcpy(&p.t, in.data(), 8);
        const auto kind = static_cast<std::uint8_t>(in[8]) % 3;
        in.remove_prefix(9);
        if (kind == 0 && in.size() >= 8) {
            double d = 0;
            std::memcpy(&d, in.data(), 8);
            p.v = d;
            in.remove_prefix(8);
        } else if (kind == 1) {
            p.v = (static_cast<std::uint8_t>(in[0]) & 1) != 0;
            in.remove_prefix(1);
        } else {
            const std::size_t n = std::min<std::size_t>(static_cast<std::uint8_t>(in[0]) % 16, in.size() - 1);
            p.v = std::string(in.substr(1, n));
            in.remove_prefix(1 + n);
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<sb::chunk_point> decoded;
    if (sb::point_chunk::decode(input, decoded)) {
        FUZZ_CHECK(decoded.size() <= input.size(), "more points than bytes");
        std::vector<sb::chunk_point> again;
        FUZZ_CHECK(sb::point_chunk::decode(sb::point_chunk::encode(decoded), again), "its own encoding refused");
        FUZZ_CHECK(again == decoded, "a decoded chunk does not survive encode and decode");
    } else {
        FUZZ_CHECK(decoded.empty(), "a refused chunk left points behind");
    }
    const std::vector<sb::chunk_point> points = points_from(input.substr(0, input.size() / 2));
    std::vector<sb::chunk_point> back;
    FUZZ_CHECK(sb::point_chunk::decode(sb::point_chunk::encode(points), back), "an encoding refused");
    FUZZ_CHECK(back == points, "points do not survive encode and decode");
    return 0;
}
