// sensor-sim: simulated sensors publishing plausible readings over MQTT (docs/CONFIGURATION.md).
#include "publisher.hpp"
#include "sim_options.hpp"
#include "stop_signal.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <string>

namespace {

void print_start(const sim::sim_options& options, const sim::publisher& publisher) {
    std::cerr << "sensor-sim: connected to " << options.mqtt_url << " as " << options.client_id
              << ", " << options.sensors << " sensors at " << options.rate_hz << "/s each\n";
    const std::string plan = publisher.format_plan();
    if (!plan.empty()) std::cerr << "sensor-sim: formats: " << plan << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    // First, before any thread exists, so that every thread inherits the blocked signals.
    sim::stop_signal stop;
    std::signal(SIGPIPE, SIG_IGN);

    sim::sim_options options;
    CLI::App app{"Simulated sensors publishing over MQTT", "sensor-sim"};
    sim::register_options(app, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
        std::cerr << "sensor-sim: " << error.what() << '\n';
        return 2;
    }
    sim::finalize_options(options);

    try {
        sim::publisher publisher(options, stop);
        try {
            publisher.connect();
        } catch (const std::exception& error) {
            std::cerr << "sensor-sim: cannot connect to " << options.mqtt_url << ": "
                      << error.what() << '\n';
            return 1;
        }
        if (!options.quiet) print_start(options, publisher);
        publisher.run();
        publisher.shutdown();
        publisher.print_summary(std::cerr);
    } catch (const std::exception& error) {
        std::cerr << "sensor-sim: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
