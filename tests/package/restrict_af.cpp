// sb-restrict-af FAMILIES COMMAND [ARGS...]: runs COMMAND with socket() refused (EAFNOSUPPORT)
// for every address family not in FAMILIES (comma-separated: AF_INET,AF_INET6,AF_UNIX,...), by
// a seccomp filter, as systemd's RestrictAddressFamilies= does. The package test runs the
// packaged bridge under the unit's own list (tests/package/package_test.sh, mode netlink).
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: sb-restrict-af AF_INET,AF_INET6,... COMMAND [ARGS...]\n");
        return 2;
    }
    const std::map<std::string, unsigned> known = {{"AF_UNIX", AF_UNIX},       {"AF_INET", AF_INET},
                                                   {"AF_INET6", AF_INET6},     {"AF_NETLINK", AF_NETLINK},
                                                   {"AF_PACKET", AF_PACKET}};
    std::vector<unsigned> allowed;
    std::istringstream list(argv[1]);
    for (std::string name; std::getline(list, name, ',');) {
        auto it = known.find(name);
        if (it == known.end()) {
            std::fprintf(stderr, "sb-restrict-af: unknown family %s\n", name.c_str());
            return 2;
        }
        allowed.push_back(it->second);
    }
    // socket(): allowed families pass, any other gets EAFNOSUPPORT; other system calls pass.
    std::vector<sock_filter> f;
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0));
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])));
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        // Jump to the ALLOW at the end when equal: past the remaining tests and the ERRNO.
        const auto to_allow = static_cast<unsigned char>(allowed.size() - i);
        f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i], to_allow, 0));
    }
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT));
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        std::perror("sb-restrict-af: seccomp");
        return 1;
    }
    ::execvp(argv[2], argv + 2);
    std::perror("sb-restrict-af: exec");
    return 127;
}
