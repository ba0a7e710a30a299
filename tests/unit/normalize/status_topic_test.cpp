#include "normalize/normalizer.hpp"
#include "normalize/status_topic.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

struct status_case {
    const char* topic;
    const char* topic_id;
    const char* payload;
    bool is_status;
    const char* sensor_id;  // expected sensor, "" when rejected
    bool online;
};

TEST(status_topic, status_topics_set_online_state_instead_of_a_value) {
    const status_case cases[] = {
        {"sensors/temp-1/status", "temp-1.status", "online", true, "temp-1", true},
        {"sensors/temp-1/status", "temp-1.status", "offline", true, "temp-1", false},
        {"sensors/porch/availability", "porch.availability", "true", true, "porch", true},
        {"sensors/porch/availability", "porch.availability", " false\n", true, "porch", false},
        {"sensors/kitchen/LWT", "kitchen.LWT", "Online", true, "kitchen", true},
        {"sensors/kitchen/LWT", "kitchen.LWT", "Offline", true, "kitchen", false},
        {"sensors/hall/status", "hall.status", R"({"state":"online"})", true, "hall", true},
        {"sensors/hall/status", "hall.status", R"({"status":false})", true, "hall", false},
        {"sensors/hall/status", "hall.status", "\"offline\"", true, "hall", false},
        {"sensors/hall/status", "hall.status", "maybe", true, "", false},
        {"sensors/status", "status", "online", true, "", false},
        {"sensors/hall/statuses", "hall.statuses", "online", false, "", false},
    };
    normalizer n;
    for (const auto& c : cases) {
        EXPECT_EQ(is_status_topic(c.topic), c.is_status) << c.topic;
        auto r = n.normalize({c.topic, c.topic_id, c.payload, 1000});
        if (!c.is_status) continue;
        EXPECT_TRUE(r.readings.empty()) << c.topic << " " << c.payload;
        if (std::string(c.sensor_id).empty()) {
            EXPECT_FALSE(r.ok()) << c.topic << " " << c.payload;
            continue;
        }
        ASSERT_TRUE(r.status.has_value()) << c.topic << " " << c.payload;
        EXPECT_EQ(r.status->sensor_id, c.sensor_id);
        EXPECT_EQ(r.status->online, c.online) << c.payload;
    }
}

}  // namespace
}  // namespace sb
