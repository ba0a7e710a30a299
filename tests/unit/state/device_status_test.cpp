// A device's status covers its sensors (`<device>.<metric>`), found by one prefix range scan.
#include "state/device_status.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "state/sensor_registry.hpp"

namespace sb {
namespace {

// A sensor as the pipeline leaves it after a reading at `at`: in the cache and the tracker.
void reading_at(sensor_registry& c, const std::string& id, std::int64_t at) {
    reading r;
    r.sensor_id = id;
    r.value = 1.0;
    r.seq = c.next_seq(id);
    c.status().on_reading(id, at);
    c.update(std::move(r), make_text_message(id));
}

std::vector<std::string> rendered(const std::vector<status_change>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes) out.push_back(c.sensor_id + " " + std::string(to_string(c.status)));
    return out;
}

std::string status_of(const sensor_registry& c, const std::string& id) {
    const auto* s = c.status().find(id);
    return s ? std::string(to_string(s->status)) : "unknown";
}

// porch and its sensors, a nested device under it, and neighbours that only look alike.
void fill(sensor_registry& c) {
    for (const char* id : {"porch.temperature", "porch.humidity", "porch.light.lux", "porch-2.temperature",
                           "porchx", "porch", "porch:a", "garage.temperature"}) {
        reading_at(c, id, 1000);
    }
}

struct device_case {
    const char* name;
    const char* device;
    bool online;
    std::vector<std::string> changes;  // in order: the device first, then its sensors by id
};

TEST(device_status, applies_to_the_device_and_every_sensor_under_it) {
    const std::vector<device_case> cases = {
        {"device with readings of its own", "porch", false,
         {"porch offline", "porch.humidity offline", "porch.light.lux offline", "porch.temperature offline"}},
        {"nested device", "porch.light", false, {"porch.light offline", "porch.light.lux offline"}},
        {"status-only device: itself (new), then its sensors", "garage", false,
         {"garage offline", "garage.temperature offline"}},
        {"a device without sensors", "attic", false, {"attic offline"}},
        {"online while all are online: nothing changes", "porch", true, {}},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.name);
        sensor_registry c;
        fill(c);
        EXPECT_EQ(rendered(apply_device_status(c, tc.device, tc.online, 2000)), tc.changes);
    }
}

TEST(device_status, leaves_lookalike_ids_alone) {
    sensor_registry c;
    fill(c);
    apply_device_status(c, "porch", false, 2000);
    for (const char* id : {"porch-2.temperature", "porchx", "porch:a", "garage.temperature"}) {
        EXPECT_EQ(status_of(c, id), "online") << id;
    }
}

TEST(device_status, online_ends_the_offline_spell_and_a_reading_ends_it_for_one_sensor) {
    sensor_registry c;
    fill(c);
    apply_device_status(c, "porch", false, 2000);
    // A reading of one sensor brings that sensor back, not its siblings.
    const auto back = c.status().on_reading("porch.temperature", 3000);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->status, sensor_status::online);
    EXPECT_EQ(status_of(c, "porch.humidity"), "offline");
    // Offline again: the sensor that came back goes offline, the others are no change.
    EXPECT_EQ(rendered(apply_device_status(c, "porch", false, 3500)),
              std::vector<std::string>{"porch.temperature offline"});
    const auto online = apply_device_status(c, "porch", true, 4000);
    EXPECT_EQ(rendered(online), (std::vector<std::string>{"porch online", "porch.humidity online",
                                                          "porch.light.lux online", "porch.temperature online"}));
    for (const auto& ch : online) EXPECT_EQ(ch.since, 4000);
}

TEST(device_status, online_does_not_end_a_stale_spell) {
    sensor_registry c;
    reading_at(c, "dev.a", 1000);
    reading_at(c, "dev.b", 1000);
    apply_device_status(c, "dev", true, 1000);  // the device id announces itself
    std::vector<status_change> stale;
    c.status().scan(1000 + 60000, stale);
    ASSERT_EQ(stale.size(), 2u);  // its two sensors; the device id has no readings to miss
    EXPECT_EQ(status_of(c, "dev"), "online");
    // A retained "online" says nothing about data: stale stays stale until a reading.
    EXPECT_TRUE(apply_device_status(c, "dev", true, 61001).empty());
    EXPECT_EQ(status_of(c, "dev.a"), "stale");
}

// Decided: a sensor first seen while its device is offline starts online, because its
// reading shows it talks (as for any sensor); the device's next status covers it.
TEST(device_status, a_sensor_that_appears_while_its_device_is_offline_starts_online) {
    sensor_registry c;
    reading_at(c, "dev.a", 1000);
    apply_device_status(c, "dev", false, 2000);
    reading_at(c, "dev.new", 3000);
    EXPECT_EQ(status_of(c, "dev.new"), "online");
    EXPECT_EQ(status_of(c, "dev.a"), "offline");
    EXPECT_EQ(rendered(apply_device_status(c, "dev", false, 4000)), std::vector<std::string>{"dev.new offline"});
}

TEST(device_status, sensors_over_the_bound_are_not_tracked) {
    sensor_registry c(2);
    reading_at(c, "dev.a", 1000);
    reading_at(c, "dev.b", 1000);
    // The device id would be a third sensor in the tracker: not tracked, its sensors still are.
    EXPECT_EQ(rendered(apply_device_status(c, "dev", false, 2000)),
              (std::vector<std::string>{"dev.a offline", "dev.b offline"}));
}

}  // namespace
}  // namespace sb
