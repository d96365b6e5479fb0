#include "sources/internal.h"

#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

extern char** environ;

namespace kb::sources {

TempFile::~TempFile() {
  if (fd_ >= 0) close(fd_);
  if (!tmp_path_.empty()) unlink(tmp_path_.c_str());
}

std::optional<std::string> TempFile::Create(const std::string& final_path) {
  final_path_ = final_path;
  size_t slash = final_path.rfind('/');
  std::string dir =
      slash == std::string::npos ? "." : final_path.substr(0, slash);
  std::string base =
      slash == std::string::npos ? final_path : final_path.substr(slash + 1);
  std::string pattern = dir + "/." + base + ".part-XXXXXX";
  fd_ = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd_ < 0) {
    return "cannot create a file in '" + dir + "': " + std::strerror(errno);
  }
  tmp_path_ = pattern;
  return std::nullopt;
}

std::optional<std::string> TempFile::Commit(bool zero_times) {
  // mkostemp makes the file 0600; use what open() gives with the usual
  // umask 022 (umask() itself cannot be read safely from a thread).
  fchmod(fd_, 0644);
  if (zero_times) {
    const struct timespec zero[2] = {{0, 0}, {0, 0}};
    futimens(fd_, zero);
  }
  int rc = close(fd_);
  fd_ = -1;
  if (rc != 0) {
    return "cannot write '" + final_path_ + "': " + std::strerror(errno);
  }
  if (rename(tmp_path_.c_str(), final_path_.c_str()) != 0) {
    return "cannot write '" + final_path_ + "': " + std::strerror(errno);
  }
  tmp_path_.clear();
  return std::nullopt;
}

ScopedUtf8Locale::ScopedUtf8Locale() {
  locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (l) {
    locale_ = l;
    previous_ = uselocale(l);
  }
}

ScopedUtf8Locale::~ScopedUtf8Locale() {
  if (!locale_) return;
  uselocale(static_cast<locale_t>(previous_));
  freelocale(static_cast<locale_t>(locale_));
}

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& cwd, int timeout_seconds) {
  CommandResult result;
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  // Everything the child needs is prepared before fork(): after it, only
  // async-signal-safe calls are allowed in a threaded program.
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "LC_ALL=", 7) == 0 ||
        std::strncmp(*e, "GIT_TERMINAL_PROMPT=", 20) == 0) {
      continue;
    }
    env_store.emplace_back(*e);
  }
  // Plain-English messages from git, and never a password prompt.
  env_store.emplace_back("LC_ALL=C");
  env_store.emplace_back("GIT_TERMINAL_PROMPT=0");
  std::vector<char*> envp;
  for (std::string& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  pid_t pid = fork();
  if (pid < 0) {
    result.output = std::string("fork: ") + std::strerror(errno);
    close(pipefd[0]);
    close(pipefd[1]);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(pipefd[1]);

  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      break;
    }
    struct pollfd p = {pipefd[0], POLLIN, 0};
    int rc = poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 200)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buf, n);
  }
  close(pipefd[0]);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!result.timed_out && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

}  // namespace kb::sources
