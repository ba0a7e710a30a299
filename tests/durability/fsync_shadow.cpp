// LD_PRELOAD shim for scripts/durability.sh: simulates what a power cut leaves of the bridge's
// database. A power cut loses the page cache, so only what was fsync'ed survives; this shim
// keeps, beside the real files, a copy of each watched file as it was at its last fsync or
// fdatasync ($SB_SHADOW_DIR/<name>). After a kill -9 the real files are what a process crash
// leaves; the copies are the worst a power cut at that moment can leave (a real disk may have
// written back some pages on its own, never fewer). It also logs every sync
// ($SB_SHADOW_DIR/fsync.log: ms since the epoch, file, bytes), to count what each mode costs.
// Watched: files whose path starts with $SB_SHADOW_WATCH, except the -shm index (never synced,
// rebuilt by SQLite after a crash).
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace {

std::mutex mu;

std::string fd_path(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char buf[4096];
    const ssize_t n = readlink(link, buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

bool copy_file(const std::string& from, const std::string& to) {
    const int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    const std::string tmp = to + ".tmp";
    const int out = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = out >= 0;
    char buf[1 << 16];
    for (ssize_t n; ok && (n = read(in, buf, sizeof buf)) > 0;) ok = write(out, buf, static_cast<std::size_t>(n)) == n;
    close(in);
    if (out >= 0) close(out);
    return ok && std::rename(tmp.c_str(), to.c_str()) == 0;
}

// After a successful sync of fd: the file's content now is what survives a power cut.
void synced(int fd) {
    const char* watch = std::getenv("SB_SHADOW_WATCH");
    const char* dir = std::getenv("SB_SHADOW_DIR");
    if (watch == nullptr || dir == nullptr) return;
    const std::string path = fd_path(fd);
    if (path.rfind(watch, 0) != 0 || path.size() < 4 || path.compare(path.size() - 4, 4, "-shm") == 0) return;
    const std::string name = path.substr(path.rfind('/') + 1);
    std::lock_guard<std::mutex> lk(mu);
    copy_file(path, std::string(dir) + "/" + name);
    struct stat st {};
    fstat(fd, &st);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string log = std::string(dir) + "/fsync.log";
    if (FILE* f = std::fopen(log.c_str(), "a")) {
        std::fprintf(f, "%lld %s %lld\n", static_cast<long long>(ms), name.c_str(), static_cast<long long>(st.st_size));
        std::fclose(f);
    }
}

template <typename Fn>
Fn next(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fsync(int fd) {
    static const auto real = next<int (*)(int)>("fsync");
    const int rc = real(fd);
    if (rc == 0) synced(fd);
    return rc;
}

extern "C" int fdatasync(int fd) {
    static const auto real = next<int (*)(int)>("fdatasync");
    const int rc = real(fd);
    if (rc == 0) synced(fd);
    return rc;
}
