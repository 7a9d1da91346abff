// Publishing an index: the writer lock, the clean-up of stale leftovers, the atomic link switch
// that keeps the new and the previous build, and the nexuskb-index program refusing to run while
// another writer holds the lock.
#include "indexer/publish.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/indexer.h"
#include "tests/support/test_env.h"

namespace nexuskb {
namespace {

namespace fs = std::filesystem;
using testing::source_path;
using testing::TempDir;

// The names in `dir`, sorted.
std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

void make_build(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "iamglass") << "build " << dir.filename().string();
}

fs::path binary(const std::string& name) {
  const char* dir = std::getenv("NEXUSKB_BIN");
  return fs::path(dir ? dir : "build") / name;
}

struct Exit {
  int code = -1;
  std::string err;
};

// Runs the real nexuskb-index; stderr goes to a file. Killed after 60 s.
Exit run_index_program(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> argv_storage{"nexuskb-index"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string program = binary("nexuskb-index").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 2);
      ::dup2(fd, 1);
    }
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  Exit result;
  int status = 0;
  for (int i = 0; i < 1200; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (result.code == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  std::ifstream in(log);
  result.err.assign(std::istreambuf_iterator<char>(in), {});
  return result;
}

TEST(IndexWriterLockTest, ASecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  TempDir tmp;
  const fs::path out = tmp.path() / "index";
  {
    IndexWriterLock first(out);
    EXPECT_TRUE(fs::exists(tmp.path() / "index.lock"));
    try {
      IndexWriterLock second(out);
      ADD_FAILURE() << "a second writer got the lock while the first held it";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("index.lock"), std::string::npos)
          << "the message names the lock file: " << e.what();
    }
    // Another index path has its own lock.
    EXPECT_NO_THROW(IndexWriterLock other(tmp.path() / "other"));
    // Still held after a refused attempt.
    EXPECT_THROW(IndexWriterLock again(out), std::runtime_error);
  }
  EXPECT_NO_THROW(IndexWriterLock after(out)) << "the lock was not released with its owner";
  // And it can be taken and released many times.
  for (int i = 0; i < 3; ++i) EXPECT_NO_THROW(IndexWriterLock{out});
}

TEST(IndexWriterLockTest, AnUnusableLockFileIsAFilesystemError) {
  TempDir tmp;
  EXPECT_THROW(IndexWriterLock{tmp.path() / "no-such-folder" / "index"}, fs::filesystem_error);
}

TEST(PublishTest, RemoveStaleLeftoversRemovesOnlyTmpAndLinkSiblings) {
  TempDir tmp;
  const fs::path dir = tmp.path();
  const fs::path out = dir / "index";
  make_build(dir / "index.v-1");
  fs::create_directory_symlink("index.v-1", out);
  // Leftovers of crashed runs.
  make_build(dir / "index.tmp-111-42");
  fs::create_directories(dir / "index.tmp-222-43" / "nested" / "deeper");
  fs::create_symlink("index.v-1", dir / "index.link-333-44");
  fs::create_symlink("nowhere", dir / "index.link-444-45");  // dangling
  // A link leftover pointing at a folder: the link goes, never what it points at.
  make_build(dir / "precious");
  fs::create_directory_symlink("precious", dir / "index.link-555-46");
  // Not ours: another index's leftovers, look-alikes without the dash, the lock file.
  make_build(dir / "other.tmp-1-1");
  make_build(dir / "indexx.tmp-1-1");
  make_build(dir / "index.tmp");
  make_build(dir / "index.tmpfoo");
  std::ofstream(dir / "index.lock") << "";
  std::ofstream(dir / "index.linked") << "";
  make_build(dir / "index.v-2");

  remove_stale_leftovers(out);

  EXPECT_EQ(names_in(dir), (std::set<std::string>{"index", "index.v-1", "index.v-2", "precious",
                                                  "other.tmp-1-1", "indexx.tmp-1-1", "index.tmp",
                                                  "index.tmpfoo", "index.lock", "index.linked"}));
  EXPECT_TRUE(fs::exists(dir / "precious" / "iamglass")) << "followed a leftover link";
  EXPECT_EQ(fs::read_symlink(out), "index.v-1");
  EXPECT_TRUE(fs::exists(dir / "index.v-1" / "iamglass"));
}

TEST(PublishTest, PublishSwitchesTheLinkKeepsThePreviousBuildAndRemovesOlderOnes) {
  TempDir tmp;
  const fs::path dir = tmp.path();
  const fs::path out = dir / "index";
  for (const char* v : {"index.v-1", "index.v-2", "index.v-3", "index.v-4"}) make_build(dir / v);
  make_build(dir / "other.v-1");
  make_build(dir / "index.tmp-9-9");  // publish does not clean up leftovers; that is the lock's
  std::ofstream(dir / "index.lock") << "";

  publish_index(dir / "index.v-1", out);
  ASSERT_TRUE(fs::is_symlink(out));
  EXPECT_EQ(fs::read_symlink(out), "index.v-1") << "the link is relative to its folder";
  EXPECT_EQ(fs::canonical(out), fs::canonical(dir / "index.v-1"));
  // No earlier link: nothing is "previous", so every other build goes.
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"index", "index.v-1", "other.v-1",
                                                  "index.tmp-9-9", "index.lock"}));

  make_build(dir / "index.v-2");
  publish_index(dir / "index.v-2", out);
  EXPECT_EQ(fs::read_symlink(out), "index.v-2");
  EXPECT_TRUE(fs::exists(dir / "index.v-1" / "iamglass")) << "the previous build was removed";

  make_build(dir / "index.v-3");
  publish_index(dir / "index.v-3", out);
  EXPECT_EQ(fs::read_symlink(out), "index.v-3");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"index", "index.v-2", "index.v-3", "other.v-1",
                                                  "index.tmp-9-9", "index.lock"}));
  // Publishing the same build again keeps it (it is both the new and the previous one).
  publish_index(dir / "index.v-3", out);
  EXPECT_EQ(fs::read_symlink(out), "index.v-3");
  EXPECT_TRUE(fs::exists(dir / "index.v-3" / "iamglass"));
  // No temporary link is left behind.
  for (const std::string& name : names_in(dir)) EXPECT_EQ(name.find(".link-"), std::string::npos);
}

TEST(PublishTest, RefusesToReplaceARealDirectoryOrFile) {
  TempDir tmp;
  const fs::path dir = tmp.path();
  make_build(dir / "index");  // a real directory where the link should be
  make_build(dir / "index.v-1");
  EXPECT_THROW(publish_index(dir / "index.v-1", dir / "index"), fs::filesystem_error);
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(dir / "index")));
  EXPECT_TRUE(fs::exists(dir / "index" / "iamglass")) << "the directory was touched";
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"index", "index.v-1"}));

  std::ofstream(dir / "file") << "data";
  EXPECT_THROW(publish_index(dir / "index.v-1", dir / "file"), fs::filesystem_error);
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(dir / "file")));
}

// The real program, while this test holds the lock as a concurrent writer would: it fails with
// a clear message, and the published index, its folder and the lock stay as they were.
TEST(PublishTest, IndexProgramRefusesToRunWhileAnotherWriterHoldsTheLock) {
  TempDir tmp;
  const fs::path out = tmp.path() / "index";
  const std::string content = source_path("tests/fixtures/content").string();
  const Exit first =
      run_index_program({"--content", content, "--out", out.string()}, tmp.path() / "first.log");
  ASSERT_EQ(first.code, kExitBuilt) << first.err;
  ASSERT_TRUE(fs::is_symlink(out));
  const fs::path target = fs::read_symlink(out);
  const auto before = names_in(tmp.path());

  {
    IndexWriterLock held(out);
    const Exit refused = run_index_program({"--content", content, "--out", out.string()},
                                           tmp.path() / "refused.log");
    EXPECT_EQ(refused.code, kExitUsageOrIo) << refused.err;
    EXPECT_NE(refused.err.find("another nexuskb-index is writing"), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("the previous index is unchanged"), std::string::npos)
        << refused.err;
    EXPECT_EQ(fs::read_symlink(out), target);
    auto after = names_in(tmp.path());
    after.erase("refused.log");
    EXPECT_EQ(after, before) << "the refused run created or removed something";
  }
  // Once the lock is free, the program runs again and switches the link.
  const Exit second =
      run_index_program({"--content", content, "--out", out.string()}, tmp.path() / "second.log");
  EXPECT_EQ(second.code, kExitBuilt) << second.err;
  EXPECT_NE(fs::read_symlink(out), target);
  EXPECT_TRUE(fs::exists(tmp.path() / target)) << "the previous build was not kept";
}

}  // namespace
}  // namespace nexuskb
