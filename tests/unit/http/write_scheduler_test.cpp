// When sessions write: coalesced writes once per loop turn, flush ticks while a session asks
// for them, held readings of the hub on the same timer. A real io_context, fake writers.
#include "http/write_scheduler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

namespace sb {
namespace {

struct fake_writer final : scheduled_writer {
    void write_batch() override { ++writes; }
    bool flush() override {
        ++flushes;
        return flushes < wanted_flushes;
    }
    int writes = 0;
    int flushes = 0;
    int wanted_flushes = 1;
};

class write_scheduler_test : public ::testing::Test {
protected:
    asio::io_context io;
    hub h{8};
    write_scheduler s{io, h};
    std::shared_ptr<fake_writer> w = std::make_shared<fake_writer>();
};

TEST_F(write_scheduler_test, writes_once_after_the_turn_however_many_times_it_was_asked) {
    auto a = std::make_shared<fake_writer>();
    auto b = std::make_shared<fake_writer>();
    s.write_after_turn(a);
    s.write_after_turn(b);
    EXPECT_EQ(a->writes, 0);  // not inside the handler that coalesced
    io.poll();
    EXPECT_EQ(a->writes, 1);
    EXPECT_EQ(b->writes, 1);
    io.restart();
    s.write_after_turn(a);
    io.poll();
    EXPECT_EQ(a->writes, 2);
}

TEST_F(write_scheduler_test, flushes_on_ticks_while_the_writer_asks_for_more) {
    w->wanted_flushes = 3;
    s.flush_soon(w);
    io.run_for(std::chrono::milliseconds(200));
    EXPECT_EQ(w->flushes, 3);  // asked twice more, then done: no further ticks
}

TEST_F(write_scheduler_test, a_writer_gone_before_its_tick_is_skipped) {
    s.flush_soon(w);
    std::weak_ptr<fake_writer> weak = w;
    w.reset();
    io.run_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(weak.expired());
}

TEST_F(write_scheduler_test, after_stop_nothing_is_flushed) {
    s.flush_soon(w);
    s.stop();
    s.flush_soon(w);
    io.run_for(std::chrono::milliseconds(50));
    EXPECT_EQ(w->flushes, 0);
}

}  // namespace
}  // namespace sb
