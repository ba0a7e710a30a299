#pragma once
// Reading the log files the child processes write.
#include <cstddef>
#include <filesystem>
#include <string>

namespace sb_it {

std::string read_whole_file(const std::filesystem::path& file);

// The last n lines of file (all of it when shorter), for failure reports.
std::string tail_lines(const std::filesystem::path& file, std::size_t n);

void write_file(const std::filesystem::path& file, const std::string& content);

}  // namespace sb_it
