#pragma once
// The fakes the pipeline's unit tests share: a persistence sink behind the reading_sink
// interface that records what it is given, and a hub client that records what it is sent.
#include <string>
#include <string_view>
#include <vector>

#include "hub/hub.hpp"
#include "persist/reading_sink.hpp"

namespace sb {

struct fake_sink final : reading_sink {
    struct put_call {
        std::string sensor_id;
        std::uint64_t seq = 0;
        std::string message;
    };
    bool put(reading r, std::string_view message, const reading_json_fields&, pending_hint* hint) override {
        if (full) return false;
        calls.push_back({r.sensor_id, r.seq, std::string(message)});
        hints_given += hint != nullptr;
        return true;
    }
    void forget(std::string_view sensor_id) override { forgotten.emplace_back(sensor_id); }
    std::vector<put_call> calls;
    std::vector<std::string> forgotten;
    int hints_given = 0;
    bool full = false;
};

struct subscriber final : hub_client {
    void deliver(const std::string& sensor_id, const out_message_ptr& m, message_kind kind) override {
        got.push_back({sensor_id, m->text(), kind});
    }
    struct item {
        std::string sensor_id;
        std::string text;
        message_kind kind;
    };
    std::vector<item> got;
};

}  // namespace sb
