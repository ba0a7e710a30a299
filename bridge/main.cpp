// sensor-bridge: parse options, run the app, turn start-up failures into one line and an exit code.
#include <csignal>
#include <exception>
#include <iostream>

#include "app/bridge_app.hpp"
#include "config/options.hpp"
#include "core/log.hpp"

int main(int argc, char** argv) {
    sb::parse_result parsed = sb::parse_options(argc, argv, std::cout, std::cerr);
    if (parsed.outcome == sb::parse_outcome::exit) return parsed.exit_code;
    sb::log_level level = sb::log_level::info;
    sb::parse_log_level(parsed.opts.log_level, level);
    sb::set_log_level(level);
    // Over a file-size limit (ulimit -f) a write must fail with EFBIG, which the store handles
    // like a full disk, instead of SIGXFSZ ending the process.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        sb::bridge_app app(parsed.opts);
        return app.run();
    } catch (const std::exception& e) {
        std::cerr << "sensor-bridge: " << e.what() << "\n";
        return 1;
    }
}
